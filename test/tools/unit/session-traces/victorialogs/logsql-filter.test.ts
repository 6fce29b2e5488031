import { expect } from 'chai';
import { exactMatch } from '../../../../../tools/session-traces/victorialogs/logsql-filter.ts';

describe('exactMatch', () => {
  it('quotes the field and the value when they are plain', () => {
    expect(exactMatch('session.id', 'session-0001')).to.equal('"session.id":="session-0001"');
  });

  it('escapes quotes, backslashes and control characters so the value cannot end the filter', () => {
    expect(exactMatch('session.id', 'a" OR *\\\n')).to.equal('"session.id":="a\\" OR *\\\\\\n"');
  });
});
