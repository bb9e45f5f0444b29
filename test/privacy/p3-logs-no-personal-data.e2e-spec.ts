import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PATH_METADATA, METHOD_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { Queue } from 'bullmq';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import Redis from 'ioredis';
import { Role } from '@app/auth';
import { QueueName, queuePrefix } from '@app/queue';
import {
  buildJpeg,
  createTestDatabase,
  eventually,
  freePort,
  givenPartnership,
  type GivenPartnership,
  HttpClient,
  sha256,
  type TestApi,
  type TestDatabase,
} from '@app/testing';
import { ApiModule } from '../../apps/api/src/api.module';
import { AppProcess, appEnv } from '../lib/app-procs';
import {
  deriveSeed,
  FULL,
  History,
  type NegativeControl,
  recordResult,
  runDir,
  SPEC_TIMEOUT_MS,
} from '../lib/programme';

/**
 * P3 (issue #15 section 1): no personal data in the logs. The api and the worker run as their own
 * processes at LOG_LEVEL=trace, stdout and stderr captured. Every write route of the OpenAPI
 * document (/api/docs-json) is called with a canary in every text field (the fields read from the
 * route's class-validator DTO; header parameters too), adjusted to the api's 400 answers until it
 * accepts the body; then the same route with a new record sent four times at once (a uniqueness
 * check that reads first lets the losers through to the constraint: 23505), a NUL byte in each text
 * field and header in turn, every id dangling, impossible dates and integers, and every text at its
 * maximum length. The checker counts, in everything both processes wrote, the run's tag (every
 * canary holds it), the passwords, the tokens and the JWT secret, and, from the same output, the
 * SQLSTATEs of the statements PostgreSQL refused, so the run shows errors did reach it. Negative
 * controls: the same run against two broken variants of the code (TEST_DEFECTS), one whose TypeORM
 * logger writes the values bound to each statement, one that logs errors whole; the checker must
 * find canaries in their real output.
 */
// class-transformer keeps @Type() (the element type of a nested array) in a store it does not export
const { defaultMetadataStorage } =
  require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

const ID = 'P3';
const SEED = deriveSeed(ID);
jest.setTimeout(Math.max(SPEC_TIMEOUT_MS, FULL ? 900_000 : 420_000));
const ROOT = resolve(__dirname, '../..');
/** in every canary; `zq` is not hex, so no id, hash or token can hold it by chance */
const TAG = `zq${randomBytes(6).toString('hex')}`;

// --- the write routes: OpenAPI inventory, Nest and class-validator metadata for their inputs -----

type Json = Record<string, unknown>;
interface RouteMeta {
  bodyType?: new () => unknown;
  headers: string[];
}

const normalise = (path: string) =>
  `/${path.split('/').filter(Boolean).join('/')}`.replace(/:(\w+)/g, '{$1}');

/** `METHOD /api/v1/path/{param}` of every controller method, with its @Body() type and @Headers() names. */
function routeTable(): Map<string, RouteMeta> {
  const table = new Map<string, RouteMeta>();
  const seen = new Set<unknown>();
  const visit = (mod: unknown): void => {
    if (!mod || seen.has(mod)) {
      return;
    }
    seen.add(mod);
    const dyn = mod as { module?: unknown; imports?: unknown[]; controllers?: unknown[] };
    const cls = (dyn.module ?? mod) as object;
    const imports = [...(dyn.imports ?? []), ...((Reflect.getMetadata('imports', cls) as unknown[]) ?? [])];
    const controllers = [
      ...(dyn.controllers ?? []),
      ...((Reflect.getMetadata('controllers', cls) as unknown[]) ?? []),
    ] as (new () => unknown)[];
    for (const ctrl of controllers) {
      const base = [Reflect.getMetadata(PATH_METADATA, ctrl) as string | string[]].flat()[0] ?? '';
      for (const name of Object.getOwnPropertyNames(ctrl.prototype)) {
        const handler = (ctrl.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') {
          continue;
        }
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (method === undefined || sub === undefined) {
          continue;
        }
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, ctrl, name) ?? {}) as Record<
          string,
          { index: number; data?: unknown }
        >;
        const types = (Reflect.getMetadata('design:paramtypes', ctrl.prototype, name) ?? []) as unknown[];
        const meta: RouteMeta = { headers: [] };
        for (const [key, arg] of Object.entries(args)) {
          const kind = Number(key.split(':')[0]);
          if (kind === RouteParamtypes.BODY && !arg.data) {
            meta.bodyType = types[arg.index] as new () => unknown;
          } else if (kind === RouteParamtypes.HEADERS && typeof arg.data === 'string') {
            meta.headers.push(arg.data.toLowerCase());
          }
        }
        for (const s of [sub].flat()) {
          table.set(`${RequestMethod[method]} ${normalise(`api/v1/${base}/${s}`)}`, meta);
        }
      }
    }
    imports.forEach(visit);
  };
  visit(ApiModule.register());
  return table;
}

interface Field {
  path: (string | number)[];
  /** enum or isIn choices, tried in turn when the api refuses the first */
  choices?: unknown[];
  max?: number;
  optional: boolean;
}

interface Body {
  value: unknown;
  /** the text fields, each holding a canary */
  texts: Field[];
  ids: Field[];
  /** fields an impossible value can be put in: dates (Feb 30th) and unbounded integers */
  impossible: { path: (string | number)[]; value: unknown }[];
  fields: Field[];
}

const DAY = 86_400_000;

/** A body for `type` that should pass its validation, a canary in every text field. */
function buildBody(
  type: new () => unknown,
  canary: () => string,
  idFor: (field: string) => string,
  path: (string | number)[] = [],
  out: Body = { value: undefined, texts: [], ids: [], impossible: [], fields: [] },
  depth = 0,
): Body {
  const metas = getMetadataStorage().getTargetValidationMetadatas(
    type,
    '',
    false,
    false,
  ) as ValidationMetadata[];
  const byProp = new Map<string, ValidationMetadata[]>();
  for (const m of metas) {
    (byProp.get(m.propertyName) ?? byProp.set(m.propertyName, []).get(m.propertyName)!).push(m);
  }
  const body: Json = {};
  for (const [prop, ms] of byProp) {
    const names = new Set(ms.map((m) => String(m.name ?? m.type).toLowerCase()));
    const has = (...n: string[]) => n.some((x) => names.has(x.toLowerCase()));
    const c = (n: string) =>
      ms.find((m) => String(m.name ?? m.type).toLowerCase() === n.toLowerCase())?.constraints ?? [];
    const each = ms.some((m) => m.each) || has('isArray');
    const at = [...path, prop, ...(each ? [0] : [])];
    const field: Field = {
      path: at,
      optional: has('isOptional') || ms.some((m) => m.type === 'conditionalValidation'),
      max: c('maxLength')[0] as number | undefined,
    };
    out.fields.push(field);
    const one = ((): unknown => {
      if (has('refused')) {
        return undefined;
      }
      if (ms.some((m) => m.type === 'nestedValidation')) {
        const nested = defaultMetadataStorage.findTypeMetadata(type, prop)?.typeFunction() as
          | (new () => unknown)
          | undefined;
        return nested && depth < 3 ? buildBody(nested, canary, idFor, at, out, depth + 1).value : {};
      }
      if (has('equals')) {
        return c('equals')[0];
      }
      if (has('isEnum', 'isIn')) {
        const options = has('isEnum') ? Object.values(c('isEnum')[0] as object) : (c('isIn')[0] as unknown[]);
        field.choices = options.filter((v) => typeof v === 'string');
        return field.choices[0];
      }
      if (has('isUuid')) {
        out.ids.push(field);
        return idFor(prop);
      }
      if (has('isEmail')) {
        out.texts.push(field);
        return `${canary()}@example.test`;
      }
      if (has('isZonedDateTime', 'isIso8601', 'isDateString')) {
        out.impossible.push({ path: at, value: '2026-02-30T10:00:00Z' });
        return new Date(Date.now() - DAY).toISOString();
      }
      if (has('isCalendarDate')) {
        out.impossible.push({ path: at, value: '2026-02-30' });
        return new Date(Date.now() - DAY).toISOString().slice(0, 10);
      }
      if (has('isLatitude')) {
        return 51.5;
      }
      if (has('isLongitude')) {
        return -0.12;
      }
      if (has('isNumberString')) {
        return '1';
      }
      if (has('isInt', 'isNumber', 'min', 'max')) {
        const min = c('min')[0] as number | undefined;
        const max = c('max')[0] as number | undefined;
        if (max === undefined) {
          // past a PostgreSQL integer column
          out.impossible.push({ path: at, value: 2 ** 31 });
        }
        return min ?? (max !== undefined ? Math.min(1, max) : 1);
      }
      if (has('isBoolean')) {
        return true;
      }
      if (has('matches')) {
        const pattern = c('matches')[0] as RegExp;
        const v = canary();
        const text = [v, v.toUpperCase()].find((x) => pattern.test(x));
        if (text) {
          out.texts.push(field);
          return text;
        }
        const date = new Date(Date.now() - DAY).toISOString().slice(0, 10);
        if (pattern.test(date)) {
          out.impossible.push({ path: at, value: '2026-02-30' });
          return date;
        }
        return ['1', 'x', 'AB12 CDE'].find((x) => pattern.test(x));
      }
      if (has('isObject')) {
        return {};
      }
      if (has('isArray') && !has('isString', 'isHumanText')) {
        return undefined;
      }
      // text: isString, isHumanText, a length
      if (field.max !== undefined && field.max < TAG.length) {
        return 'x'.repeat(Math.max(1, (c('minLength')[0] as number | undefined) ?? 1));
      }
      out.texts.push(field);
      return canary().slice(0, field.max ?? Infinity);
    })();
    if (one !== undefined) {
      body[prop] = each ? [one] : one;
    } else if (has('isArray') && !field.optional) {
      body[prop] = [];
    }
  }
  out.value = body;
  return out;
}

/** `vehicles[0].registration` as a path */
const fieldPath = (f: string) =>
  f
    .split(/[.[\]]/)
    .filter(Boolean)
    .map((k) => (/^\d+$/.test(k) ? Number(k) : k));
const samePath = (a: (string | number)[], b: (string | number)[]) => a.join('.') === b.join('.');

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
function setAt(obj: unknown, path: (string | number)[], value: unknown): void {
  let o = obj as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) {
    o = o[k] as Record<string | number, unknown>;
  }
  o[path[path.length - 1]] = value;
}
function getAt(obj: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)?.[k], obj);
}

// --- the checker: what the processes wrote -----------------------------------------------------

export interface OutputCheck {
  /** occurrences of the run's tag: any canary, whole or in part */
  canaryHits: number;
  /** occurrences of a password, token or the JWT secret */
  secretHits: number;
  /** log lines that carry either */
  linesWithHits: number;
  /** "query failed" lines by SQLSTATE: the statements PostgreSQL refused */
  failedStatements: Record<string, number>;
  /** the first few lines with a hit, the hit replaced, for the notes */
  samples: string[];
}

export function checkOutput(output: string, tag: string, secrets: string[]): OutputCheck {
  const lower = tag.toLowerCase();
  const check: OutputCheck = {
    canaryHits: 0,
    secretHits: 0,
    linesWithHits: 0,
    failedStatements: {},
    samples: [],
  };
  for (const line of output.split('\n')) {
    const canaries = line.toLowerCase().split(lower).length - 1;
    const leaked = secrets.reduce((n, s) => n + (s ? line.split(s).length - 1 : 0), 0);
    check.canaryHits += canaries;
    check.secretHits += leaked;
    if (canaries + leaked) {
      check.linesWithHits += 1;
      if (check.samples.length < 5) {
        let shown = line.replace(new RegExp(lower, 'gi'), '<canary>');
        secrets.forEach((s) => (shown = shown.split(s).join('<secret>')));
        check.samples.push(shown.slice(0, 300));
      }
    }
    try {
      const parsed = JSON.parse(line) as { msg?: string; err?: { code?: string } };
      if (parsed.msg === 'query failed') {
        const code = parsed.err?.code ?? 'none';
        check.failedStatements[code] = (check.failedStatements[code] ?? 0) + 1;
      }
    } catch {
      // not a JSON line (a crash trace on stderr is searched all the same)
    }
  }
  return check;
}

// --- one run: api and worker processes, every write route, output from disk -------------------

interface Sweep {
  requests: number;
  routes: number;
  routesReachingHandler: number;
  statuses: Record<string, number>;
  nulAccepted: number;
  unmapped: string[];
}

interface Fixture {
  db: TestDatabase;
  p: GivenPartnership;
  jwtSecret: string;
}

async function startPair(db: TestDatabase, label: string, env: Record<string, string>) {
  const port = await freePort();
  const logDir = join(runDir(), 'logs');
  mkdirSync(logDir, { recursive: true });
  const api = AppProcess.spawn(
    'api',
    `${label}-api`,
    { ...env, API_HOST: '127.0.0.1', API_PORT: String(port) },
    join(logDir, `${ID}-${label}-api.log`),
  );
  const worker = AppProcess.spawn(
    'worker',
    `${label}-worker`,
    env,
    join(logDir, `${ID}-${label}-worker.log`),
  );
  const http = new HttpClient(`http://127.0.0.1:${port}`);
  const stop = () => Promise.all([api.kill('SIGTERM', 10_000), worker.kill('SIGTERM', 10_000)]);
  try {
    await api.waitReady(90_000, async () => (await http.get('/ready')).status === 200);
    await worker.waitReady(90_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { api, worker, http, stop };
}

/** Waits until the worker has taken every outbox row and every queue is idle. */
async function drained(db: TestDatabase): Promise<Record<string, number>> {
  const conn = new Redis(db.config.redis.url, { maxRetriesPerRequest: 1 });
  try {
    return await eventually(
      async () => {
        const [{ n }] = await db.owner.query(
          `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`,
        );
        const failed: Record<string, number> = {};
        let busy = Number(n);
        for (const name of Object.values(QueueName)) {
          const q = new Queue(name, { connection: conn, prefix: queuePrefix(db.config) });
          const c = await q.getJobCounts('waiting', 'active', 'prioritized', 'failed');
          await q.close();
          busy += c.waiting + c.active + c.prioritized;
          failed[name] = c.failed;
        }
        if (busy) {
          throw new Error(`${busy} outbox rows or jobs still pending`);
        }
        return failed;
      },
      120_000,
      250,
    );
  } finally {
    conn.disconnect();
  }
}

function deleteAt(obj: unknown, path: (string | number)[]): void {
  const parent = getAt(obj, path.slice(0, -1)) as Record<string | number, unknown> | undefined;
  if (parent && typeof parent === 'object') {
    delete parent[path[path.length - 1]];
  }
}

const STANDARD_HEADERS = [
  'authorization',
  'content-length',
  'content-type',
  'idempotency-key',
  'x-request-id',
];

interface Op {
  method: string;
  path: string;
  /** header parameters the OpenAPI document names */
  headers: string[];
  /** the body is a file (application/octet-stream) */
  binary: boolean;
}

/**
 * Every write route with canaries, NUL bytes, concurrent duplicates, dangling ids, impossible dates
 * and numbers, and maximum lengths.
 */
/**
 * A race the unique index settles, made deterministic: the owner holds an uncommitted user with a
 * canary email, the api's create for the same email passes its existence check and waits on the
 * index, and the owner's commit makes PostgreSQL refuse it (23505, whose detail carries the email).
 */
async function settledRace(
  db: TestDatabase,
  http: HttpClient,
  p: GivenPartnership,
  label: string,
): Promise<void> {
  const email = `${TAG}race-${label}@example.org`;
  const holder = db.owner.createQueryRunner();
  await holder.connect();
  try {
    await holder.startTransaction();
    await holder.query(
      `INSERT INTO users (partnership_id, email, display_name, role, password_hash) VALUES ($1, $2, $3, 'analyst', 'x')`,
      [p.partnershipId, email, `${TAG} holder`],
    );
    const [{ xid }] = (await holder.query(
      `SELECT backend_xid::text AS xid FROM pg_stat_activity WHERE pid = pg_backend_pid()`,
    )) as { xid: string }[];
    const create = http.post(
      '/api/v1/users',
      { email, displayName: `${TAG} racer`, role: 'analyst', password: 'a long enough password' },
      p.tokens.admin,
    );
    await eventually(async () => {
      // pg_locks shows every role's waits (pg_stat_activity hides the app role's from the owner)
      const waiting = (await db.owner.query(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'transactionid' AND NOT granted AND transactionid = $1::xid`,
        [xid],
      )) as { n: number }[];
      expect(waiting[0].n).toBeGreaterThan(0);
    }, 30_000);
    await holder.commitTransaction();
    expect((await create).status).toBe(409);
  } finally {
    await holder.release();
  }
}

async function sweep(http: HttpClient, p: GivenPartnership, history: History, label: string): Promise<Sweep> {
  const doc = (await http.get('/api/docs-json')).body as {
    paths: Record<
      string,
      Record<string, { parameters?: { in: string; name: string }[]; requestBody?: { content?: Json } }>
    >;
  };
  const table = routeTable();
  let n = 0;
  const canary = () => `${TAG}${(n++).toString(36)}`;
  const ids: Record<string, string> = { stores: p.storeIds[0], businesses: p.businessId };
  const idAt = (segment: string) => ids[segment] ?? ids[segment.split('-').pop()!];
  const idFor = (field: string): string => {
    const f = field.replace(/Ids?$/, '').toLowerCase();
    const known: Record<string, string | undefined> = {
      store: p.storeIds[0],
      business: p.businessId,
      organisation: p.businessId,
      user: p.users.shopworker.id,
      officer: p.users.police.id,
      assignee: p.users.police.id,
      incident: ids.incidents,
      offender: ids.subjects,
      subject: ids.subjects,
      case: ids.cases,
      gallery: ids.galleries,
      talkgroup: ids['talk-groups'],
      statement: ids.statements,
    };
    return known[f] ?? randomUUID();
  };
  const ops: Op[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, spec] of Object.entries(item)) {
      if (['post', 'put', 'patch', 'delete'].includes(method)) {
        ops.push({
          method: method.toUpperCase(),
          path,
          headers: (spec.parameters ?? [])
            .filter((x) => x.in === 'header')
            .map((x) => x.name.toLowerCase())
            .filter((h) => !STANDARD_HEADERS.includes(h)),
          binary: !!spec.requestBody?.content?.['application/octet-stream'],
        });
      }
    }
  }
  // creations first (their ids fill the paths and bodies of the rest), deletions last
  const rank = (o: Op) => (o.method === 'DELETE' ? 100 : 0) + (o.path.match(/\{/g)?.length ?? 0);
  ops.sort((a, b) => rank(a) - rank(b));
  const result: Sweep = {
    requests: 0,
    routes: ops.length,
    routesReachingHandler: 0,
    nulAccepted: 0,
    statuses: {},
    unmapped: [],
  };
  const roles = [Role.Coordinator, Role.Admin, Role.Police, Role.StoreManager, Role.Shopworker, Role.Analyst];

  const send = async (
    op: Op,
    variant: string,
    token: string | undefined,
    body: unknown,
    header: (name: string) => string = () => canary(),
  ) => {
    result.requests += 1;
    const segments = op.path.split('/');
    const file = op.binary ? buildJpeg({ seed: result.requests, size: 2048 }) : undefined;
    const target = segments
      .map((s, i) => {
        const m = /^\{(\w+)\}$/.exec(s);
        return !m
          ? s
          : m[1] === 'sha256'
            ? sha256(file ?? Buffer.alloc(0))
            : (idAt(segments[i - 1]) ?? idFor(m[1]));
      })
      .join('/');
    const headers: Record<string, string> = { 'idempotency-key': randomUUID() };
    for (const h of op.headers) {
      headers[h] = h.includes('sha256') ? sha256(file ?? Buffer.alloc(0)) : encodeURIComponent(header(h));
    }
    if (file) {
      headers['content-type'] = 'application/octet-stream';
    }
    const res = await history.run(
      { op: randomUUID(), client: label, kind: `${op.method} ${op.path} ${variant}` },
      () => http.request(op.method, target, { token, ...(file ? { raw: file } : { body }), headers }),
      // why a request was refused (the answer names the field), so a generator gap shows
      (r) => (r.status >= 400 ? { answer: String(r.text).slice(0, 300) } : {}),
    );
    const status = res?.status ?? 0;
    if (variant.startsWith('nul') && status >= 200 && status < 300) {
      result.nulAccepted += 1;
    }
    const key = `${Math.floor(status / 100)}xx`;
    result.statuses[key] = (result.statuses[key] ?? 0) + 1;
    if (res && status >= 200 && status < 300 && op.method === 'POST') {
      const id = (res.body as { id?: unknown })?.id;
      const collection = segments.filter((s) => !s.startsWith('{')).pop()!;
      if (typeof id === 'string' && !ids[collection]) {
        ids[collection] = id;
      }
    }
    return res;
  };

  /** The role that gets past the guard and a body the api accepts, fields adjusted to its answers. */
  const settle = async (op: Op, meta: RouteMeta) => {
    const base = meta.bodyType
      ? buildBody(meta.bodyType, canary, idFor)
      : ({
          value: op.method === 'DELETE' ? undefined : {},
          texts: [],
          ids: [],
          impossible: [],
          fields: [],
        } as Body);
    let token: string | undefined;
    let res: Awaited<ReturnType<typeof send>>;
    for (const role of op.path.startsWith('/api/v1/auth/') ? [undefined] : roles) {
      token = role && p.tokens[role];
      res = await send(op, 'plain', token, base.value);
      if (res?.status !== 401 && res?.status !== 403) {
        break;
      }
    }
    for (let attempt = 0; attempt < 6 && res?.status === 400; attempt++) {
      const refused = ((res.body as { details?: { field: string }[] })?.details ?? []).map((d) =>
        fieldPath(d.field),
      );
      let changed = false;
      for (const at of refused) {
        const f = base.fields.find((x) => samePath(x.path, at) || samePath(x.path.slice(0, -1), at));
        const now = getAt(base.value, f?.path ?? at);
        const next = f?.choices?.[f.choices.indexOf(now) + 1];
        if (f && next !== undefined) {
          setAt(base.value, f.path, next);
          changed = true;
        } else if (now !== undefined && (!f || f.optional)) {
          deleteAt(base.value, f?.path ?? at);
          changed = true;
        }
      }
      if (!changed) {
        break;
      }
      res = await send(op, 'plain', token, base.value);
    }
    base.texts = base.texts.filter((t) => getAt(base.value, t.path) !== undefined);
    base.ids = base.ids.filter((t) => getAt(base.value, t.path) !== undefined);
    base.impossible = base.impossible.filter((t) => getAt(base.value, t.path) !== undefined);
    return { base, token, status: res?.status ?? 0 };
  };

  const plan = ops.flatMap((op) => {
    const meta = table.get(`${op.method} ${op.path}`);
    if (!meta) {
      result.unmapped.push(`${op.method} ${op.path}`);
      return [];
    }
    // the OpenAPI header parameters and the ones a handler reads itself
    const own = meta.headers.filter((h) => !STANDARD_HEADERS.includes(h));
    return [{ op: { ...op, headers: [...new Set([...op.headers, ...own])] }, meta }];
  });
  // a first pass over the creations, so the ids of every kind of record exist for the second
  for (const { op, meta } of plan.filter((x) => rank(x.op) === 0)) {
    await settle(op, meta);
  }
  for (const { op, meta } of plan) {
    const { base, token, status } = await settle(op, meta);
    if (status !== 401 && status !== 403) {
      result.routesReachingHandler += 1;
    }
    // a new record sent four times at once: a uniqueness check that reads before it writes lets
    // the losers through to the constraint (23505); rounds repeat while the check alone wins
    if (op.method !== 'DELETE') {
      for (let round = 0; round < 8; round++) {
        const body = clone(base.value);
        for (const t of base.texts) {
          const v = String(getAt(body, t.path));
          setAt(body, t.path, v.includes('@') ? `${canary()}@example.test` : canary().slice(0, t.max));
        }
        const statuses = (await Promise.all([1, 2, 3, 4].map(() => send(op, 'race', token, body)))).map(
          (r) => r?.status ?? 0,
        );
        if (statuses.some((x) => x >= 500) || !statuses.includes(409)) {
          break;
        }
      }
    }
    // a NUL byte in each text field in turn, the other fields canaries
    for (const t of base.texts) {
      const body = clone(base.value);
      const v = String(getAt(body, t.path));
      setAt(body, t.path, `${v.slice(0, (t.max ?? 64) - 2)}\u0000${TAG}`.slice(0, t.max));
      await send(op, 'nul', token, body);
    }
    for (const h of op.headers.filter((x) => !x.includes('sha256'))) {
      await send(op, 'nul-header', token, base.value, (x) => (x === h ? `${canary()}\u0000x` : canary()));
    }
    // every id dangling: foreign keys
    if (base.ids.length) {
      const body = clone(base.value);
      base.ids.forEach((f) => setAt(body, f.path, randomUUID()));
      await send(op, 'dangling', token, body);
    }
    // impossible dates (February 30th) and integers past 2^31, one field at a time
    for (const x of base.impossible) {
      const body = clone(base.value);
      setAt(body, x.path, x.value);
      await send(op, 'impossible', token, body);
    }
    // every text at its maximum length: a column narrower than the DTO
    if (base.texts.length) {
      const body = clone(base.value);
      for (const t of base.texts) {
        const v = String(getAt(body, t.path));
        const max = t.max ?? 300;
        setAt(body, t.path, v.includes('@') ? v : v.repeat(Math.ceil(max / v.length)).slice(0, max));
      }
      await send(op, 'longest', token, body, () => canary().repeat(8));
    }
  }
  return result;
}

describe('P3 no personal data in the logs', () => {
  let testDb: TestDatabase | undefined;
  let fixture: Fixture | undefined;
  let keyDir: string;
  const stops: (() => Promise<unknown>)[] = [];
  const started = new Date().toISOString();

  beforeAll(async () => {
    keyDir = join(tmpdir(), `p3-key-${randomBytes(4).toString('hex')}`);
    mkdirSync(keyDir, { recursive: true });
  });
  afterAll(async () => {
    for (const stop of stops) {
      await stop();
    }
    const storage = testDb?.config.storage.dir;
    await testDb?.drop();
    if (storage) {
      rmSync(resolve(ROOT, storage), { recursive: true, force: true });
    }
    rmSync(keyDir, { recursive: true, force: true });
  });

  it('writes no canary, password or token to the output of the api or the worker, even when PostgreSQL refuses a statement', async () => {
    const db = await createTestDatabase();
    testDb = db;
    const jwtSecret = `jwt-${TAG.slice(2)}-${randomBytes(16).toString('hex')}`;
    const env = (defects?: string) =>
      appEnv(db.config, {
        LOG_LEVEL: 'trace',
        JWT_SECRET: jwtSecret,
        EVIDENCE_SIGNING_KEY_PATH: join(keyDir, 'signing.pem'),
        ...(defects ? { TEST_DEFECTS: defects } : {}),
      });

    /** one run of the sweep on a fresh api and worker; the checker reads their logs from disk */
    const run = async (label: string, defects?: string) => {
      const pair = await startPair(db, label, env(defects));
      stops.push(pair.stop);
      let p = fixture?.p;
      if (!p) {
        p = await givenPartnership({
          db,
          http: pair.http,
          app: undefined,
          close: async () => undefined,
        } as unknown as TestApi);
        fixture = { db, p, jwtSecret };
      }
      const history = new History(`${ID}-${label}`);
      const s = await sweep(pair.http, p, history, label);
      await settledRace(db, pair.http, p, label);
      const failedJobs = await drained(db);
      await pair.stop();
      const secrets = [
        jwtSecret,
        ...Object.values(p.users).map((u) => u.password),
        ...Object.values(p.tokens),
        ...Object.values(p.tokens).map((t) => t.split('.')[2]),
        ...Object.values(p.refreshTokens),
      ];
      const output = [pair.api, pair.worker].map((x) => readFileSync(x.logFile, 'utf8'));
      return {
        sweep: s,
        failedJobs,
        history: history.file,
        logs: [pair.api.logFile, pair.worker.logFile],
        api: checkOutput(output[0], TAG, secrets),
        worker: checkOutput(output[1], TAG, secrets),
      };
    };

    const clean = await run('clean');
    const controls: NegativeControl[] = [];
    for (const defect of ['typeorm-logs-parameters', 'log-errors-unredacted']) {
      const broken = await run(defect, defect);
      controls.push({
        variant: `TEST_DEFECTS=${defect}: ${
          defect === 'typeorm-logs-parameters'
            ? "TypeORM's logger writes the values bound to each statement"
            : 'errors are logged whole (driver fields, parameters) instead of through redactError'
        }`,
        counts: {
          apiCanaryHits: broken.api.canaryHits,
          workerCanaryHits: broken.worker.canaryHits,
          secretHits: broken.api.secretHits + broken.worker.secretHits,
          requests: broken.sweep.requests,
        },
        caught: broken.api.canaryHits + broken.worker.canaryHits > 0,
      });
    }

    const failed = Object.entries(clean.api.failedStatements).sort();
    const counts = {
      routes: clean.sweep.routes,
      routesUnmapped: clean.sweep.unmapped.length,
      routesReachingHandler: clean.sweep.routesReachingHandler,
      requests: clean.sweep.requests,
      ...Object.fromEntries(Object.entries(clean.sweep.statuses).map(([k, v]) => [`status${k}`, v])),
      statementsRefusedByPostgres: failed.reduce((a, [, v]) => a + v, 0),
      // requests with a NUL byte in a text field or header that were stored (2xx): none expected
      nulAccepted: clean.sweep.nulAccepted,
      failedJobs: Object.values(clean.failedJobs).reduce((a, b) => a + b, 0),
      apiCanaryHits: clean.api.canaryHits,
      workerCanaryHits: clean.worker.canaryHits,
      secretHits: clean.api.secretHits + clean.worker.secretHits,
    };
    const passed =
      counts.apiCanaryHits + counts.workerCanaryHits + counts.secretHits === 0 &&
      counts.routesUnmapped === 0 &&
      counts.statementsRefusedByPostgres > 0 &&
      controls.every((c) => c.caught);
    recordResult({
      id: ID,
      title:
        'No personal data in the logs: canaries in every text field of every write route, database errors provoked',
      seed: SEED,
      counts,
      passFigure:
        'canary, password and token hits in api and worker output: 0, with PostgreSQL refusing statements',
      passed,
      negativeControls: controls,
      config: {
        logLevel: 'trace',
        processes: 'api and worker as separate node processes (ts-node), stdout and stderr captured',
        failedStatementsBySqlstate: Object.fromEntries(failed),
        failedJobsByQueue: clean.failedJobs,
      },
      historyFile: clean.history,
      notes: [
        ...clean.api.samples.map((s) => `api: ${s}`),
        ...clean.worker.samples.map((s) => `worker: ${s}`),
        ...clean.sweep.unmapped.map((r) => `no controller method found for ${r}`),
        `logs: ${clean.logs.join(', ')}`,
      ],
      startedAt: started,
    });
    expect(controls.filter((c) => !c.caught)).toEqual([]);
    expect(clean.sweep.unmapped).toEqual([]);
    expect(clean.api.samples.concat(clean.worker.samples)).toEqual([]);
    expect(counts).toMatchObject({ apiCanaryHits: 0, workerCanaryHits: 0, secretHits: 0 });
    // statements did fail in PostgreSQL while the canaries were in flight
    expect(counts.statementsRefusedByPostgres).toBeGreaterThan(0);
    expect(counts.routesReachingHandler).toBeGreaterThan(counts.routes / 2);
  });
});
