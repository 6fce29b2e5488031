import { expect } from 'chai';
import { hideCredentials } from '../../../../tools/update-core/hide-credentials.ts';

describe('hideCredentials', () => {
  it('hides a user and password, and a lone token, wherever a URL appears in the text', () => {
    expect(hideCredentials("fatal: unable to access 'https://user:secret@git.example.com/x.git/': refused")).to.equal("fatal: unable to access 'https://***@git.example.com/x.git/': refused");
    expect(hideCredentials('clone -- HTTPS://ghp_secret@Git.Example.com/x.git /tmp/x')).to.equal('clone -- HTTPS://***@Git.Example.com/x.git /tmp/x');
    expect(hideCredentials('a https://u:p@ss-secret@h/x then ssh://git:secret@h:22/y')).to.equal('a https://***@h/x then ssh://***@h:22/y');
  });

  it("hides the given URL's credentials where git echoes them without the scheme, raw or percent-decoded", () => {
    expect(hideCredentials('fatal: unable to look up user:secret@127.0.0.1:1 (port 9418)', 'git://user:secret@127.0.0.1:1/x.git')).to.equal('fatal: unable to look up ***@127.0.0.1:1 (port 9418)');
    expect(hideCredentials('auth failed for s3cr@t (token ghp_secret)', 'https://me:s3cr%40t@h/x.git')).to.equal('auth failed for *** (token ghp_secret)');
    expect(hideCredentials('bad token ghp_secret', 'https://ghp_secret@h/x.git')).to.equal('bad token ***');
  });

  it('leaves text without credentials as it is when no URL carries a user', () => {
    for (const text of ['https://git.example.com/x.git', 'file:///srv/template', 'git@github.com:org/x.git', 'mail me@example.com', '../template']) {
      expect(hideCredentials(text)).to.equal(text);
    }
  });
});
