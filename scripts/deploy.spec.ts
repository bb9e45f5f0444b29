import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { AppConfig, EnvSchema } from '@app/config';
import { commandProblems, ROOT } from './deploy-checks';

/**
 * The deployment files, checked as far as a machine without a Docker engine allows: the compose
 * file parses, every app's environment is one the config accepts, every command names a file the
 * build writes, the proxy sends /radio to the radios and the rest to the apis, and the image and
 * its context keep the host's installs and secrets out.
 */
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  restart?: string;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  secrets?: string[];
}
/** YAML merge keys (`<<: *anchor`), as compose applies them; the parser leaves them as keys. */
function merged(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node.map(merged);
  }
  if (!node || typeof node !== 'object') {
    return node;
  }
  const { '<<': base, ...own } = node as Record<string, unknown>;
  const bases = (Array.isArray(base) ? base : base ? [base] : []).map(merged) as Record<string, unknown>[];
  return Object.assign({}, ...bases, Object.fromEntries(Object.entries(own).map(([k, v]) => [k, merged(v)])));
}

const compose = merged(load(read('docker/docker-compose.yml'))) as {
  services: Record<string, Service>;
  secrets: Record<string, { file: string }>;
};
const services = compose.services;
const apps = Object.entries(services).filter(([, s]) => s.build);

/** What compose would pass for `${NAME:?message}` and `${NAME:-default}`, with sample answers. */
const SAMPLES: Record<string, string> = {
  JWT_SECRET: '1S3JDX1/4Tqt0lFIcCLjXmJhujn+aKrwe/oRmw8jRhc=',
  PUBLIC_ORIGIN: 'https://hub.example.org',
};
const interpolate = (value: string) =>
  value.replace(
    /\$\{([A-Z0-9_]+)(?::[-?]([^}]*))?\}/g,
    (_, name: string, fallback = '') => SAMPLES[name] ?? fallback,
  );

/**
 * docker/Caddyfile as Caddy reads it: `{$NAME:default}` replaced by `env` (the caddy service's
 * environment, itself interpolated) or else by its default, before parsing, as Caddy does.
 */
const caddyfile = (env: Record<string, string>) =>
  read('docker/Caddyfile').replace(
    /\{\$([A-Z0-9_]+)(?::([^}]*))?\}/g,
    (_, name: string, fallback = '') => (name in env ? interpolate(env[name]) : fallback),
  );

describe('docker/docker-compose.yml', () => {
  it('runs the whole topology: two of each app behind one proxy, the migrations and the bootstrap once', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'api-1',
        'api-2',
        'bootstrap',
        'caddy',
        'migrate',
        'postgres',
        'radio-1',
        'radio-2',
        'redis',
        'worker-1',
        'worker-2',
      ].sort(),
    );
    for (const name of ['migrate', 'bootstrap']) {
      expect(services[name].restart).toBe('no');
    }
    expect(services.bootstrap.command).toContain('--if-absent');
  });

  it('gives every long-running service a healthcheck and a restart policy', () => {
    for (const [name, s] of Object.entries(services).filter(([n]) => !['migrate', 'bootstrap'].includes(n))) {
      expect(`${name}: ${s.restart}`).toBe(`${name}: unless-stopped`);
      expect(s.healthcheck?.test.length).toBeGreaterThan(1);
    }
  });

  it('passes every app only variables the config knows, with values it accepts', () => {
    const known = Object.keys(new EnvSchema());
    for (const [name, s] of apps) {
      const env = Object.fromEntries(
        Object.entries(s.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]),
      );
      expect(Object.keys(env).filter((k) => !known.includes(k))).toEqual([]);
      const config = AppConfig.from(env);
      expect(`${name}: ${config.radio.sameOrigin}`).toBe(`${name}: true`);
      expect(config.packs.signingKeyPath).toBe('/run/secrets/evidence-signing-key');
      expect(s.secrets).toEqual(['evidence-signing-key']);
    }
    expect(compose.secrets['evidence-signing-key'].file).toBe('./secrets/evidence-signing.pem');
  });

  it('lists in compose.env.example every variable the compose file reads from docker/.env', () => {
    const example = read('docker/compose.env.example');
    const listed = new Set([...example.matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const read_ = [...read('docker/docker-compose.yml').matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]);
    expect([...new Set(read_)].filter((name) => !listed.has(name))).toEqual([]);
    // and the example's values are ones the config accepts
    const storage = Object.fromEntries(
      [...example.matchAll(/^((?:STORAGE|S3)_[A-Z_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]),
    );
    expect(() =>
      AppConfig.from({
        ...storage,
        NODE_ENV: 'test',
        DATABASE_URL: 'postgres://x',
        DATABASE_MIGRATION_URL: 'postgres://x',
        REDIS_URL: 'redis://x',
      }),
    ).not.toThrow();
  });

  it('starts each app from a file the build writes, and probes the port it listens on', () => {
    for (const [name, s] of apps) {
      expect(`${name}: ${commandProblems(s.command!).join('; ')}`).toBe(`${name}: `);
      const probe = s.healthcheck?.test.join(' ') ?? '';
      const port = { api: 'API_PORT', radio: 'RADIO_PORT', worker: 'WORKER_HTTP_PORT' }[name.split('-')[0]];
      if (port) {
        expect(probe).toContain(`127.0.0.1:${s.environment![port]}/ready`);
      }
    }
  });

  it('has Caddy send the radio path to the radios and the rest to the apis, each on its port', () => {
    const caddy = caddyfile(services.caddy.environment ?? {});
    const radioPath = new EnvSchema().RADIO_PATH; // the apps' default: compose does not set it
    const radio = new RegExp(
      `handle ${radioPath}\\* \\{\\s*reverse_proxy radio-1:(\\d+) radio-2:(\\d+)`,
    ).exec(caddy);
    expect(radio?.slice(1)).toEqual([
      services['radio-1'].environment!.RADIO_PORT,
      services['radio-2'].environment!.RADIO_PORT,
    ]);
    const api = /handle \{\s*reverse_proxy api-1:(\d+) api-2:(\d+)/.exec(caddy);
    expect(api?.slice(1)).toEqual([
      services['api-1'].environment!.API_PORT,
      services['api-2'].environment!.API_PORT,
    ]);
    expect(caddy.match(/health_uri \/ready/g)).toHaveLength(2);
    // /metrics stays inside the network: the public origin answers 404
    expect(caddy).toMatch(/handle \/metrics\* \{\s*respond 404/);
    expect(caddy).toMatch(/^:80 \{$/m);
  });

  it('takes the proxy’s addresses from placeholders, every default the compose value', () => {
    const raw = read('docker/Caddyfile');
    const names = [...raw.replace(/^\s*#.*$/gm, '').matchAll(/\{\$([A-Z0-9_]+)/g)].map((m) => m[1]).sort();
    expect(names).toEqual(['API_UPSTREAMS', 'CADDY_ADMIN', 'RADIO_UPSTREAMS', 'SITE_ADDRESS']);
    // the compose healthcheck reads the admin API where the Caddyfile's default puts it
    const admin = /^\s*admin (\S+)$/m.exec(caddyfile(services.caddy.environment ?? {}))?.[1];
    expect(admin).toBe('localhost:2019');
    expect(services.caddy.healthcheck!.test.join(' ')).toContain('http://127.0.0.1:2019/config/');
  });
});

describe('the image', () => {
  it('builds from the lockfile on a supported Node LTS and runs unprivileged', () => {
    const dockerfile = read('docker/Dockerfile');
    expect(dockerfile.match(/^FROM node:(\d+)/gm)).toEqual(['FROM node:22', 'FROM node:22']);
    expect(dockerfile).toContain('RUN npm ci');
    expect(dockerfile).toMatch(/chown -R node:node \/data/);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it("keeps the host's installs, data and secrets out of the build context", () => {
    const ignored = read('.dockerignore').split('\n');
    for (const path of ['**/node_modules', '.data', '.env', 'docker/secrets', 'dist']) {
      expect(ignored).toContain(path);
    }
  });
});
