import { expect } from 'chai';
import { describeListenFailure, listeningUrl } from '../../../../src/core/server/listen-failure.ts';

function failure(code: string, message = `listen ${code}`): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

describe('describeListenFailure', () => {
  it('names the address, the port in use and the fix when the code is EADDRINUSE', () => {
    expect(describeListenFailure(failure('EADDRINUSE'), '127.0.0.1', 3000)).to.equal(
      'cannot listen on 127.0.0.1:3000: the port is in use (another process holds it); set PORT to a free port (0 picks one) or stop that process',
    );
  });

  it('says to set HOST when the address is not available (EADDRNOTAVAIL)', () => {
    const line = describeListenFailure(failure('EADDRNOTAVAIL'), '192.0.2.1', 3000);
    expect(line).to.match(/^cannot listen on 192\.0\.2\.1:3000: the address is not one of this machine’s; set HOST to /);
  });

  it('says to use a port from 1024 when permission is denied (EACCES), brackets an IPv6 address', () => {
    expect(describeListenFailure(failure('EACCES'), '::1', 80)).to.match(/^cannot listen on \[::1\]:80: permission denied .*; set PORT to 1024 or above$/);
  });

  it('names the code and message of an unknown error and writes one line when the message holds control characters', () => {
    const line = describeListenFailure(failure('EWHATEVER', 'odd\nthing'), 'h\nost', 1);
    expect(line).to.equal('cannot listen on h?ost:1: EWHATEVER: odd thing; check HOST and PORT');
  });
});

describe('listeningUrl', () => {
  it('shows localhost for the wildcard addresses and brackets IPv6', () => {
    expect(listeningUrl('0.0.0.0', 3000)).to.equal('http://localhost:3000');
    expect(listeningUrl('::', 3000)).to.equal('http://localhost:3000');
    expect(listeningUrl('127.0.0.1', 8080)).to.equal('http://127.0.0.1:8080');
    expect(listeningUrl('::1', 8080)).to.equal('http://[::1]:8080');
  });
});
