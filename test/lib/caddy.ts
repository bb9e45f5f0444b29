import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, freePort } from '@app/testing';

const ROOT = join(__dirname, '..', '..');

/** Every Caddy still running, so a crashed spec does not leave one behind. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) {
    try {
      c.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

export interface CaddyProxy {
  /** the site's origin, http://127.0.0.1:<port> (SITE_ADDRESS) */
  origin: string;
  /** the admin API (CADDY_ADMIN) */
  adminUrl: string;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * Real Caddy (the Debian binary on PATH) running docker/Caddyfile, the file compose mounts, with
 * its placeholders set for loopback: the site on a free port, the admin API on another (waited on
 * at /config/, as compose's healthcheck does), the upstreams given. Its storage, config and HOME are
 * a temporary folder of its own, removed on stop.
 */
export async function startCaddy(opts: {
  apiUpstreams: string[];
  radioUpstreams: string[];
  logDir: string;
}): Promise<CaddyProxy> {
  const [sitePort, adminPort] = [await freePort(), await freePort()];
  const home = mkdtempSync(join(tmpdir(), 'hub-caddy-'));
  mkdirSync(opts.logDir, { recursive: true });
  const logFile = join(opts.logDir, 'caddy.log');
  const fd = openSync(logFile, 'w');
  const origin = `http://127.0.0.1:${sitePort}`;
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  const child = spawn(
    'caddy',
    ['run', '--config', join(ROOT, 'docker/Caddyfile'), '--adapter', 'caddyfile'],
    {
      cwd: home,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        XDG_DATA_HOME: join(home, 'data'),
        XDG_CONFIG_HOME: join(home, 'config'),
        SITE_ADDRESS: origin,
        CADDY_ADMIN: `127.0.0.1:${adminPort}`,
        API_UPSTREAMS: opts.apiUpstreams.join(' '),
        RADIO_UPSTREAMS: opts.radioUpstreams.join(' '),
      },
      stdio: ['ignore', fd, fd],
    },
  );
  closeSync(fd);
  live.add(child);
  let exit: string | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = signal ?? String(code);
      live.delete(child);
      resolve();
    }),
  );
  child.once('error', () => undefined);
  const stop = async () => {
    if (exit === null) {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    }
    rmSync(home, { recursive: true, force: true });
  };
  try {
    await eventually(
      async () => {
        if (exit !== null) {
          throw new Error(`caddy exited during start (${exit}); see ${logFile}`);
        }
        const res = await fetch(`${adminUrl}/config/`);
        if (res.status !== 200) {
          throw new Error(`caddy admin answered ${res.status}; see ${logFile}`);
        }
      },
      30_000,
      50,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { origin, adminUrl, logFile, stop };
}
