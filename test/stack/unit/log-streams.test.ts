import { expect } from 'chai';
import { streamFields } from '../support/victoria-logs.ts';

describe('streamFields', () => {
  it('names the fields of a stream id, in order', () => {
    expect(streamFields('{service.name="api"}')).to.deep.equal(['service.name']);
    expect(streamFields('{service.name="api",deployment.environment.name="prod"}')).to.deep.equal(['service.name', 'deployment.environment.name']);
  });

  it('reads values holding quotes, commas and braces as values', () => {
    expect(streamFields('{service.name="a\\",b={}",process.pid="1"}')).to.deep.equal(['service.name', 'process.pid']);
  });

  it('names no field for the empty stream', () => {
    expect(streamFields('{}')).to.deep.equal([]);
  });
});
