/**
 * The gateway benchmark's downstream, in a process of its own: answers OTLP/gRPC trace exports
 * (`opentelemetry.proto.collector.trace.v1.TraceService/Export`, what the gateway's
 * `otlp_grpc/jaeger` exporter sends to Jaeger) with the empty success response, never parsing
 * the request, so that what is measured is the gateway and not a trace store.
 * gRPC on `GRPC_PORT`; `GET /` on `HTTP_PORT` answers `{"exports":n,"bytes":n}` (and that it is up).
 */
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall, type ServiceDefinition } from '@grpc/grpc-js';
import { createServer } from 'node:http';

const identity = (bytes: Buffer): Buffer => bytes;
const EMPTY = Buffer.alloc(0);
let exports = 0;
let bytes = 0;

const traceService: ServiceDefinition = {
  Export: {
    path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

// The gateway's batches, decompressed, pass gRPC's default 4 MiB limit.
const grpcServer = new Server({ 'grpc.max_receive_message_length': -1 });
grpcServer.addService(traceService, {
  Export: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
    exports++;
    bytes += call.request.length;
    callback(null, EMPTY);
  },
});
grpcServer.bindAsync(`127.0.0.1:${process.env['GRPC_PORT'] ?? '0'}`, ServerCredentials.createInsecure(), (error) => {
  if (error !== null) {
    process.stderr.write(`otlp-grpc-discard-sink: ${error.message}\n`);
    process.exit(1);
  }
  const status = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ exports, bytes }));
  });
  status.listen(Number(process.env['HTTP_PORT'] ?? 0), '127.0.0.1');
  process.once('SIGTERM', () => {
    status.close();
    grpcServer.forceShutdown();
  });
});
