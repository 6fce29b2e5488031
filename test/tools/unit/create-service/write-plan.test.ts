import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { PlannedFile, ServicePlan } from '../../../../tools/create-service/service-plan.ts';
import { newWriteRecord, removePlan, writePlan } from '../../../../tools/create-service/write-plan.ts';

const file = (path: string): PlannedFile => ({ path, content: Buffer.from('{}\n'), mode: 0o644, origin: 'template' });

/** A plan of `paths`. */
const planOf = (...paths: string[]): ServicePlan => ({ serviceName: 'orders', repositoryRoot: '/nowhere', files: paths.map(file) });

/** A plan of two files, one in a folder of its own. */
const plan = planOf('package.json', 'src/main.ts');

/** A folder name one character over what Linux allows for one path component (255). */
const TOO_LONG = 'a'.repeat(256);

describe('writePlan and removePlan', () => {
  let temp: string;
  beforeEach(() => {
    temp = mkdtempSync(join(tmpdir(), 'write-plan-'));
  });
  afterEach(() => {
    rmSync(temp, { recursive: true, force: true });
  });

  it('removes the parents it made when making the target itself fails after them', () => {
    const record = newWriteRecord();
    expect(() => {
      writePlan(join(temp, 'work', 'team', TOO_LONG), plan, 'missing', record);
    }).to.throw(/ENAMETOOLONG/);
    removePlan(record);
    expect(readdirSync(temp)).to.deep.equal([]);
  });

  it('removes the folders it made in an existing target when a file\'s folder fails after them', () => {
    const tooLongPlan = planOf('package.json', `src/${TOO_LONG}/main.ts`);
    const record = newWriteRecord();
    expect(() => {
      writePlan(temp, tooLongPlan, 'empty', record);
    }).to.throw(/ENAMETOOLONG/);
    removePlan(record);
    expect(readdirSync(temp)).to.deep.equal([]);
  });

  it('writes every file of the plan and removes exactly them', () => {
    const record = newWriteRecord();
    writePlan(join(temp, 'orders'), plan, 'missing', record);
    expect(readdirSync(join(temp, 'orders')).sort()).to.deep.equal(['package.json', 'src']);
    removePlan(record);
    expect(readdirSync(temp)).to.deep.equal([]);
  });
});
