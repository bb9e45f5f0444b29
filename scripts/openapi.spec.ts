import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const COMMITTED = { 'openapi.json': 'apps/api/openapi.json', 'generated.ts': 'apps/web/src/api/generated.ts' };

// Regenerates the contract the way `npm run openapi` does (in a child process: openapi-typescript
// is ESM only, which jest's loader cannot require) and compares it with the committed files.
describe('the committed API contract', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'openapi-'));
    const run = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', 'scripts/openapi.ts', '--out', out],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
    );
    if (run.status !== 0) {
      throw new Error(`scripts/openapi.ts failed:\n${run.stderr}`);
    }
  }, 150_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it.each(Object.entries(COMMITTED))('%s matches the api', (name, committed) => {
    const fresh = readFileSync(join(out, name), 'utf8');
    const onDisk = readFileSync(join(ROOT, committed), 'utf8');
    if (fresh !== onDisk) {
      throw new Error(`${committed} is out of date with the api: run \`npm run openapi\` and commit it`);
    }
  });
});
