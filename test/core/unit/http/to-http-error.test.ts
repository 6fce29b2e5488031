import { brotliDecompressSync, gunzipSync, inflateSync, zstdDecompressSync } from 'node:zlib';
import { expect } from 'chai';
import { HttpError } from '../../../../src/core/http/http-error.ts';
import { toHttpError } from '../../../../src/core/http/to-http-error.ts';

/** The error node:zlib's `decompress` throws for `input`. */
function thrownBy(decompress: (input: Buffer) => Buffer, input: Buffer): object {
  try {
    decompress(input);
  } catch (error) {
    if (typeof error === 'object' && error !== null) return error;
  }
  throw new Error(`${decompress.name} accepted ${input.toString('latin1')} without an error object`);
}

/** The same, marked 400 the way body-parser passes it on (http-errors' `createError(400, error)`). */
function decompressionFailure(decompress: (input: Buffer) => Buffer, input: Buffer): object {
  return Object.assign(thrownBy(decompress, input), { status: 400, statusCode: 400 });
}

const answer = (error: unknown): [number, string] => {
  const { status, code } = toHttpError(error);
  return [status, code];
};

describe('toHttpError', () => {
  it('answers an HttpError with itself', () => {
    const error = new HttpError(401, 'invalid_token', 'expired');
    expect(toHttpError(error)).to.equal(error);
  });

  it('answers invalid_content_encoding when a gzip, deflate, br or zstd body cannot be decompressed', () => {
    const plain = Buffer.from('{"userId":"alice"}');
    for (const decompress of [gunzipSync, inflateSync, brotliDecompressSync, zstdDecompressSync]) {
      expect(answer(decompressionFailure(decompress, plain)), decompress.name).to.deep.equal([400, 'invalid_content_encoding']);
    }
    expect(answer(decompressionFailure(gunzipSync, Buffer.alloc(0))), 'empty gzip').to.deep.equal([400, 'invalid_content_encoding']);
  });

  it('answers 500 when a decompression error carries no client status', () => {
    expect(answer(thrownBy(gunzipSync, Buffer.from('x')))).to.deep.equal([500, 'internal_error']);
  });

  it('answers invalid_path when a URIError carries status 400', () => {
    expect(answer(Object.assign(new URIError("Failed to decode param '%E0'"), { status: 400 }))).to.deep.equal([400, 'invalid_path']);
    expect(answer(new URIError('URI malformed')), 'without a status: a fault of the code').to.deep.equal([500, 'internal_error']);
  });

  it('answers by body-parser type when the error has one', () => {
    expect(answer(Object.assign(new Error('x'), { type: 'entity.parse.failed', status: 400 }))).to.deep.equal([400, 'invalid_json']);
    expect(answer(Object.assign(new Error('x'), { type: 'entity.too.large', status: 413 }))).to.deep.equal([413, 'payload_too_large']);
    expect(answer(Object.assign(new Error('x'), { type: 'entity.verify.failed', status: 403 }))).to.deep.equal([403, 'client_error']);
  });

  it('answers the 4xx of status or statusCode with a code by status when nothing more specific is known', () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ status: 400 }, 400, 'bad_request'],
      [{ statusCode: 404 }, 404, 'not_found'],
      [{ status: 405 }, 405, 'method_not_allowed'],
      [{ statusCode: 413 }, 413, 'payload_too_large'],
      [{ status: 415 }, 415, 'unsupported_media_type'],
      [{ status: 422 }, 422, 'client_error'],
      [{ status: 499 }, 499, 'client_error'],
    ];
    for (const [fields, status, code] of cases) {
      expect(answer(Object.assign(new Error('x'), fields)), JSON.stringify(fields)).to.deep.equal([status, code]);
    }
  });

  it('answers 500 internal_error when the status is not a 4xx integer or the error is not an object', () => {
    for (const fields of [{}, { status: 500 }, { statusCode: 503 }, { status: 399 }, { status: 400.5 }, { status: '400' }]) {
      expect(answer(Object.assign(new Error('x'), fields)), JSON.stringify(fields)).to.deep.equal([500, 'internal_error']);
    }
    for (const thrown of ['a string', 42, null, undefined]) {
      expect(answer(thrown), String(thrown)).to.deep.equal([500, 'internal_error']);
    }
  });
});
