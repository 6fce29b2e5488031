import { expect } from 'chai';
import { parseUpdateCoreArgs, shownSource, UpdateCoreUsageError } from '../../../../tools/update-core/index.ts';

describe('parseUpdateCoreArgs', () => {
  it("reads the template, and updates to its HEAD unless --ref names another commit", () => {
    expect(parseUpdateCoreArgs(['../template'])).to.deep.equal({ source: '../template', ref: 'HEAD', base: undefined, help: false });
    expect(parseUpdateCoreArgs(['file:///srv/template.git', '--ref', 'v0.2.0', '--base', 'abc123'])).to.deep.include({ ref: 'v0.2.0', base: 'abc123' });
  });

  const refused: [string, string[], RegExp][] = [
    ['no template', [], /give the template/],
    ['two templates', ['a', 'b'], /give one template, got 2/],
    ['a ref git would read as an option', ['a', '--ref=--upload-pack=x'], /--ref "--upload-pack=x" is not a commit/],
    ['an unknown option', ['a', '--force'], /Unknown option '--force'/],
  ];
  for (const [what, argv, message] of refused) {
    it(`throws a usage error for ${what}`, () => {
      expect(() => parseUpdateCoreArgs(argv)).to.throw(UpdateCoreUsageError, message);
    });
  }
});

describe('shownSource', () => {
  it("hides a URL's credentials and leaves other sources as given", () => {
    expect(shownSource('https://deploy:s3cret@git.example.com/template.git')).to.equal('https://***@git.example.com/template.git');
    expect(shownSource('file:///srv/template')).to.equal('file:///srv/template');
    expect(shownSource('../template')).to.equal('../template');
  });
});
