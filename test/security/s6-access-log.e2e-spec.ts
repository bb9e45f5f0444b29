import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Role } from '@app/auth';
import { dataSourceOptions, SystemDb } from '@app/database';
import { ALL_ENTITIES } from '@app/schema';
import { RetentionRepository } from '@app/privacy';
import {
  buildIncidentRequest,
  buildJpeg,
  buildSubjectRequest,
  createTestDatabase,
  eventually,
  givenPartnership,
  type GivenPartnership,
  HttpClient,
  sha256,
  type TestApi,
  type TestDatabase,
} from '@app/testing';
import { mutated, readHistory } from '../lib/history-reader';
import {
  deriveSeed,
  History,
  type HistoryEntry,
  type NegativeControl,
  recordResult,
  runDir,
  scale,
  SPEC_TIMEOUT_MS,
} from '../lib/programme';

/**
 * S6 access log (DPA 2018 s.62; quality.md section 4): a fast-check model-based run (fixed seed)
 * of personal-data operations across roles and a tablet: collect (report, statement, exhibit,
 * subject), alter (amend a report or subject, correct a statement), consult (read a report or
 * subject, download an exhibit's viewing copy), disclose (evidence-pack download to a named
 * recipient, subject access export), combine (link a subject to a report) and erase (retention).
 * The model predicts each answer; the checker afterwards reads the history and the access_log and
 * requires, for every successful operation, exactly one row per object and action with actor,
 * UTC time inside the request's window, object, partnership, recipients for disclosures and the
 * request id, and none for a refused one. Also: the app role may only INSERT and SELECT the log;
 * the hash chain verifies (the database's function and an independent recomputation here);
 * canary secrets (the password, every token and the device credential, the JWT secret, a canary
 * name) appear in no access_log row and in no line the api or the worker wrote (both run as their
 * own processes at LOG_LEVEL=trace, stdout and stderr captured); CR/LF in user input never splits
 * a log line. Negative controls: a row deleted as the owner, an operation with no row, a
 * duplicated row, a canary planted in the log and in the output, a forged log line, and an owner
 * mutation that succeeds.
 */
jest.setTimeout(SPEC_TIMEOUT_MS);
const ID = 'S6';
const SEED = deriveSeed(ID);
const FC_SEED = deriveSeed(`${ID}:fast-check`);
const OPERATIONS = scale(60, 500);
const ROOT = resolve(__dirname, '../..');
const TAG = createHash('sha256').update(String(SEED)).digest('hex').slice(0, 10);
/** a person's name that must never reach a log line or the access log */
const CANARY_NAME = `Canary Quist${TAG}`;
/** user input that would forge a log line if CR/LF were written raw */
// LF only: multi-line text fields take LF, and the input rules refuse CR (and any control in a
// single-line field), so LF is what can reach a log line through a body
const INJECT = `\n{"level":60,"msg":"FORGED-${TAG}"}\n`;

type Actor = Role | 'device';
const ACTORS: Actor[] = [...Object.values(Role), 'device'];
const SHOP = (a: Actor) => a === Role.Shopworker || a === Role.StoreManager || a === 'device';
const READERS: Actor[] = [Role.Shopworker, Role.StoreManager, Role.Coordinator, Role.Police, 'device'];
const REPORTERS: Actor[] = [Role.Shopworker, Role.StoreManager, Role.Coordinator, 'device'];
const INTEL: Actor[] = [Role.Coordinator, Role.Admin];

// --- the api and worker as their own processes, output captured --------------------------------

interface Proc {
  name: string;
  child: ChildProcess;
  stdout: Buffer[];
  stderr: Buffer[];
  file: string;
  exited: Promise<void>;
}

function startProcess(name: string, entry: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', entry], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const file = join(runDir(), 'history', `${ID}-${name}.log`);
  writeFileSync(file, '');
  const proc: Proc = {
    name,
    child,
    stdout: [],
    stderr: [],
    file,
    exited: new Promise((done) => child.once('exit', () => done())),
  };
  child.stdout!.on('data', (c: Buffer) => {
    proc.stdout.push(c);
    appendFileSync(file, c);
  });
  child.stderr!.on('data', (c: Buffer) => {
    proc.stderr.push(c);
    appendFileSync(file, c);
  });
  return proc;
}

const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString('utf8');

async function waitForLine(proc: Proc, test: (line: Record<string, unknown>) => boolean, ms = 90_000) {
  return eventually(
    () => {
      if (proc.child.exitCode !== null) {
        throw new Error(`${proc.name} exited: ${text(proc.stderr).slice(-2000)}`);
      }
      for (const line of text(proc.stdout).split('\n')) {
        try {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          if (test(parsed)) {
            return parsed;
          }
        } catch {
          // not a JSON line
        }
      }
      throw new Error(`${proc.name}: not ready`);
    },
    ms,
    100,
  );
}

async function stopProcess(proc: Proc | undefined): Promise<void> {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) {
    return;
  }
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 10_000);
  await proc.exited;
  clearTimeout(timer);
}

// --- the checker -------------------------------------------------------------------------------

export interface LogRow {
  seq: number;
  partnership_id: string;
  actor_id: string | null;
  actor_kind: string;
  action: string;
  object_type: string;
  object_id: string | null;
  recipients: string[];
  justification: string | null;
  request_id: string;
  /** created_at in UTC, microseconds, as the chain hashes it */
  created_utc: string;
  prev_hash: string;
  hash: string;
  /** access_log_entry_hash(row) as the database computes it */
  db_hash: string;
}

export interface ExpectedRow {
  /** one action, or any of several */
  action: string | string[];
  objectType: string;
  objectId: string | null;
  recipients?: string[];
}

/** The value each operation records in the history. */
interface OpValue extends Record<string, unknown> {
  requestId: string;
  actorId: string | null;
  actorKind: string;
  predicted: number;
  expected: ExpectedRow[];
}

/** sha256 of the jsonb text PostgreSQL makes of the chained fields (see access_log_entry_hash). */
export function entryHash(r: LogRow): string {
  const el = (v: unknown): string => (Array.isArray(v) ? `[${v.map(el).join(', ')}]` : JSON.stringify(v));
  const fields = [
    r.prev_hash,
    r.partnership_id,
    r.seq,
    r.actor_id,
    r.actor_kind,
    r.action,
    r.object_type,
    r.object_id,
    r.recipients,
    r.justification,
    r.request_id,
    r.created_utc,
  ];
  return createHash('sha256')
    .update(`[${fields.map(el).join(', ')}]`, 'utf8')
    .digest('hex');
}

export function checkChain(rows: LogRow[]) {
  const sorted = [...rows].sort((a, b) => a.seq - b.seq);
  let seqGaps = 0;
  let linkBroken = 0;
  let dbHashMismatch = 0;
  let recomputedMismatch = 0;
  sorted.forEach((r, i) => {
    if (r.seq !== i + 1) {
      seqGaps += 1;
    }
    if (r.prev_hash !== (i === 0 ? '' : sorted[i - 1].hash)) {
      linkBroken += 1;
    }
    if (r.hash !== r.db_hash) {
      dbHashMismatch += 1;
    }
    if (r.hash !== entryHash(r)) {
      recomputedMismatch += 1;
    }
  });
  return { chainEntries: sorted.length, seqGaps, linkBroken, dbHashMismatch, recomputedMismatch };
}

export interface S6Counts {
  operations: number;
  succeeded: number;
  refused: number;
  unanswered: number;
  /** the answer differs from the model's prediction */
  modelMismatch: number;
  personalDataOps: number;
  covered: number;
  missingRows: number;
  duplicateRows: number;
  unexpectedRows: number;
  wrongFieldRows: number;
  rowsOnRefused: number;
  /** rows written by worker jobs (actor system) under a request's id: reported, not an error */
  jobRows: number;
  /** rows after the setup whose request id belongs to no operation */
  orphanRows: number;
}

export function checkOperations(
  history: HistoryEntry[],
  rows: LogRow[],
  partnershipId: string,
  setupMaxSeq: number,
): S6Counts & { perAction: Record<string, number>; jobRowKinds: Record<string, number>; problems: string[] } {
  const ops = history.filter((h) => h.kind !== 'setup' && h.kind !== 'inject' && h.value?.requestId);
  const byRequest = new Map<string, LogRow[]>();
  for (const r of rows) {
    (byRequest.get(r.request_id) ?? byRequest.set(r.request_id, []).get(r.request_id)!).push(r);
  }
  const known = new Set(history.map((h) => String(h.value?.requestId ?? '')));
  const c: S6Counts = {
    operations: ops.length,
    succeeded: 0,
    refused: 0,
    unanswered: 0,
    modelMismatch: 0,
    personalDataOps: 0,
    covered: 0,
    missingRows: 0,
    duplicateRows: 0,
    unexpectedRows: 0,
    wrongFieldRows: 0,
    rowsOnRefused: 0,
    jobRows: 0,
    orphanRows: rows.filter((r) => r.seq > setupMaxSeq && !known.has(r.request_id)).length,
  };
  const perAction: Record<string, number> = {};
  const jobRowKinds: Record<string, number> = {};
  const problems: string[] = [];
  for (const h of ops) {
    const v = h.value as OpValue;
    const all = byRequest.get(v.requestId) ?? [];
    const mine = all.filter((r) => v.actorKind === 'system' || r.actor_kind !== 'system');
    c.jobRows += all.length - mine.length;
    for (const r of all.filter((x) => !mine.includes(x))) {
      const k = `${r.action} ${r.object_type} (after ${h.kind})`;
      jobRowKinds[k] = (jobRowKinds[k] ?? 0) + 1;
    }
    if (h.status !== v.predicted) {
      c.modelMismatch += 1;
      problems.push(`model: ${h.kind} by ${h.client} answered ${h.status}, predicted ${v.predicted}`);
    }
    if (h.outcome === 'info') {
      c.unanswered += 1;
      continue;
    }
    if (h.outcome === 'fail') {
      c.refused += 1;
      c.rowsOnRefused += mine.length;
      if (mine.length) {
        problems.push(`rows on a refused ${h.kind} (${h.status}) by ${h.client}`);
      }
      continue;
    }
    c.succeeded += 1;
    if (!v.expected.length) {
      continue;
    }
    c.personalDataOps += 1;
    const used = new Set<LogRow>();
    let fine = true;
    for (const e of v.expected) {
      const actions = Array.isArray(e.action) ? e.action : [e.action];
      const match = mine.filter(
        (r) =>
          !used.has(r) &&
          actions.includes(r.action) &&
          r.object_type === e.objectType &&
          r.object_id === e.objectId,
      );
      if (!match.length) {
        c.missingRows += 1;
        fine = false;
        problems.push(`missing ${actions.join('|')} ${e.objectType} row for ${h.kind} by ${h.client}`);
        continue;
      }
      if (match.length > 1) {
        c.duplicateRows += match.length - 1;
        fine = false;
        problems.push(`${match.length} ${actions.join('|')} ${e.objectType} rows for ${h.kind}`);
      }
      for (const r of match) {
        used.add(r);
      }
      const r = match[0];
      perAction[r.action] = (perAction[r.action] ?? 0) + 1;
      const at = Date.parse(r.created_utc);
      const wrong: string[] = [];
      if (r.partnership_id !== partnershipId) {
        wrong.push('partnership');
      }
      if (r.actor_id !== v.actorId) {
        wrong.push('actor');
      }
      if (r.actor_kind !== v.actorKind) {
        wrong.push('actor kind');
      }
      if (
        !/Z$/.test(r.created_utc) ||
        !(at >= h.invokeAt - 2000 && at <= (h.completeAt ?? h.invokeAt) + 2000)
      ) {
        wrong.push('time');
      }
      if (r.action === 'disclose') {
        if (!r.recipients.length || JSON.stringify(r.recipients) !== JSON.stringify(e.recipients ?? [])) {
          wrong.push('recipients');
        }
      } else if (e.recipients && JSON.stringify(r.recipients) !== JSON.stringify(e.recipients)) {
        wrong.push('recipients');
      }
      if (r.request_id !== v.requestId) {
        wrong.push('request id');
      }
      if (wrong.length) {
        c.wrongFieldRows += 1;
        fine = false;
        problems.push(`${h.kind}: wrong ${wrong.join(', ')}`);
      }
    }
    const extra = mine.filter((r) => !used.has(r));
    if (extra.length) {
      c.unexpectedRows += extra.length;
      fine = false;
      problems.push(
        `${extra.length} unexpected rows for ${h.kind} (${extra.map((r) => `${r.action} ${r.object_type}`).join(', ')})`,
      );
    }
    if (fine) {
      c.covered += 1;
    }
  }
  return { ...c, perAction, jobRowKinds, problems: [...new Set(problems)].slice(0, 40) };
}

/** Occurrences of each canary in a text (by canary label). */
export function canaryHits(haystack: string, canaries: Record<string, string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [label, value] of Object.entries(canaries)) {
    const n = value ? haystack.split(value).length - 1 : 0;
    if (n) {
      out[label] = n;
    }
  }
  return out;
}

/** Log-line shape: every stdout line one JSON object, no raw CR, no line forged from input. */
export function checkLogLines(stdout: string, tag: string) {
  const lines = stdout.split('\n').filter((l) => l.length);
  let notJson = 0;
  let forged = 0;
  let carryingInput = 0;
  for (const l of lines) {
    let parsed: Record<string, unknown> | null = null;
    try {
      parsed = JSON.parse(l) as Record<string, unknown>;
    } catch {
      notJson += 1;
    }
    if (parsed?.msg === `FORGED-${tag}` || l.startsWith(`{"level":60,"msg":"FORGED-${tag}`)) {
      forged += 1;
    }
    if (l.includes(`FORGED-${tag}`)) {
      carryingInput += 1;
    }
  }
  return { logLines: lines.length, notJson, rawCR: stdout.split('\r').length - 1, forged, carryingInput };
}

// --- the model ------------------------------------------------------------------------------------

interface MIncident {
  id: string;
  store: 0 | 1;
  version: number;
  erased: boolean;
  /** the latest version of each statement chain */
  statements: string[];
  exhibits: { id: string; body: Buffer }[];
}

interface Model {
  budget: number;
  files: number;
  incidents: MIncident[];
  subjects: string[];
  links: Set<string>;
}

interface Real {
  http: HttpClient;
  history: History;
  tokens: Record<Actor, string>;
  actorIds: Record<Actor, string>;
  p: GivenPartnership;
  packId: string;
  retention: RetentionRepository;
  retentionPeriods: { incidentDays: number; alertDays: number };
  owner: DataSource;
}

type Kind =
  | 'create-incident'
  | 'read-incident'
  | 'amend-incident'
  | 'create-statement'
  | 'correct-statement'
  | 'upload-evidence'
  | 'view-evidence'
  | 'create-subject'
  | 'amend-subject'
  | 'read-subject'
  | 'link-subject'
  | 'download-pack'
  | 'subject-access'
  | 'erase';

const WEIGHTS: [Kind, number][] = [
  ['create-incident', 4],
  ['read-incident', 3],
  ['amend-incident', 2],
  ['create-statement', 2],
  ['correct-statement', 1],
  ['upload-evidence', 2],
  ['view-evidence', 2],
  ['create-subject', 1],
  ['amend-subject', 1],
  ['read-subject', 2],
  ['link-subject', 2],
  ['download-pack', 1],
  ['subject-access', 1],
  ['erase', 1],
];

/** who may, per operation (from the controllers' @Roles; tablets act with the shopworker role) */
const ALLOWED: Record<Kind, Actor[]> = {
  'create-incident': REPORTERS,
  'read-incident': READERS,
  'amend-incident': READERS,
  'create-statement': READERS,
  'correct-statement': READERS,
  'upload-evidence': READERS,
  'view-evidence': READERS,
  'create-subject': INTEL,
  'amend-subject': INTEL,
  'read-subject': INTEL,
  'link-subject': INTEL,
  'download-pack': [Role.Police],
  'subject-access': INTEL,
  erase: [],
};

let requestCounter = 0;
const requestId = () => `s6-${++requestCounter}-${randomBytes(4).toString('hex')}`;

class Op implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly kind: Kind,
    readonly actor: Actor,
    readonly pick: number,
    readonly flag: number,
  ) {}

  private live(m: Model) {
    return m.incidents.filter((i) => !i.erased);
  }

  check(m: Model): boolean {
    if (m.budget <= 0) {
      return false;
    }
    const live = this.live(m);
    switch (this.kind) {
      case 'read-incident':
      case 'amend-incident':
      case 'create-statement':
      case 'upload-evidence':
      case 'erase':
        return live.length > 0;
      case 'correct-statement':
        return live.some((i) => i.statements.length);
      case 'view-evidence':
        return live.some((i) => i.exhibits.length);
      case 'amend-subject':
      case 'read-subject':
        return m.subjects.length > 0;
      case 'link-subject':
        return m.subjects.length > 0 && m.incidents.length > 0;
      case 'create-incident':
      case 'create-subject':
      case 'download-pack':
      case 'subject-access':
        return true;
    }
  }

  /** 404 for an erased report, 403 for a role or a store the actor may not act on. */
  private predict(inc: MIncident | null, ok: number): number {
    if (!ALLOWED[this.kind].includes(this.actor)) {
      return 403;
    }
    if (inc?.erased) {
      return 404;
    }
    if (inc && SHOP(this.actor) && inc.store !== 0) {
      return 403;
    }
    return ok;
  }

  async run(m: Model, r: Real): Promise<void> {
    m.budget -= 1;
    const rid = requestId();
    const token = r.tokens[this.actor];
    const actorId = r.actorIds[this.actor];
    const actorKind = this.actor === 'device' ? 'device' : 'user';
    const live = this.live(m);
    const pickOf = <T>(xs: T[]) => xs[this.pick % xs.length];
    const send = (
      method: string,
      path: string,
      predicted: number,
      expected: (res: { status: number; body: any }) => ExpectedRow[],
      opts: { body?: unknown; raw?: Buffer; headers?: Record<string, string> } = {},
    ) =>
      r.history.run(
        { op: randomUUID(), client: this.actor, kind: this.kind },
        () =>
          r.http.request(method, path, {
            token,
            ...opts,
            headers: { 'x-request-id': rid, ...(opts.headers ?? {}) },
          }),
        (res): OpValue => ({
          requestId: rid,
          actorId,
          actorKind,
          predicted,
          expected: res.status >= 200 && res.status < 300 ? expected(res) : [],
          path,
        }),
      );
    switch (this.kind) {
      case 'create-incident': {
        const store: 0 | 1 = this.actor === Role.Coordinator ? ((this.flag % 2) as 0 | 1) : 0;
        const body = buildIncidentRequest({
          narrative: `Report with ${CANARY_NAME} as a witness.${INJECT}`,
          witnesses: [{ name: CANARY_NAME, kind: 'customer' }],
          ...(this.actor === Role.Coordinator ? { storeId: r.p.storeIds[store] } : {}),
        });
        const res = await send(
          'POST',
          '/api/v1/incidents',
          this.predict(null, 201),
          (x) => [{ action: 'collect', objectType: 'incident', objectId: x.body.id }],
          { body, headers: { 'idempotency-key': randomUUID() } },
        );
        if (res?.status === 201) {
          m.incidents.push({
            id: res.body.id,
            store,
            version: res.body.version ?? 1,
            erased: false,
            statements: [],
            exhibits: [],
          });
        }
        return;
      }
      case 'read-incident':
      case 'amend-incident': {
        const erased = m.incidents.filter((i) => i.erased);
        const inc = this.flag === 3 && erased.length ? pickOf(erased) : pickOf(live);
        if (this.kind === 'read-incident') {
          await send('GET', `/api/v1/incidents/${inc.id}`, this.predict(inc, 200), () => [
            { action: 'consult', objectType: 'incident', objectId: inc.id },
          ]);
          return;
        }
        const res = await send(
          'PATCH',
          `/api/v1/incidents/${inc.id}`,
          this.predict(inc, 200),
          () => [{ action: 'alter', objectType: 'incident', objectId: inc.id }],
          {
            body: {
              version: inc.version,
              narrative: `Amended by ${this.actor} ${rid}.${INJECT}`,
              reason: `correction${INJECT}`,
            },
          },
        );
        if (res?.status === 200) {
          inc.version = res.body.version;
        }
        return;
      }
      case 'create-statement':
      case 'correct-statement': {
        const inc = pickOf(this.kind === 'create-statement' ? live : live.filter((i) => i.statements.length));
        const statement = {
          witnessName: CANARY_NAME,
          witnessOccupation: 'Cashier',
          statementText: `I saw the man take the goods. I am ${CANARY_NAME}.${INJECT}`,
          pageCount: 1,
          declarationAcknowledged: true,
          signatureName: CANARY_NAME,
        };
        if (this.kind === 'create-statement') {
          const res = await send(
            'POST',
            `/api/v1/incidents/${inc.id}/statements`,
            this.predict(inc, 201),
            (x) => [{ action: 'collect', objectType: 'witness_statement', objectId: x.body.id }],
            { body: statement, headers: { 'idempotency-key': randomUUID() } },
          );
          if (res?.status === 201) {
            inc.statements.push(res.body.id);
          }
          return;
        }
        const index = this.pick % inc.statements.length;
        const old = inc.statements[index];
        const res = await send(
          'POST',
          `/api/v1/incidents/${inc.id}/statements/${old}/corrections`,
          this.predict(inc, 201),
          (x) => [
            { action: 'collect', objectType: 'witness_statement', objectId: x.body.id },
            { action: 'alter', objectType: 'witness_statement', objectId: old },
          ],
          { body: { ...statement, statementText: `${statement.statementText} (corrected)` } },
        );
        if (res?.status === 201) {
          inc.statements[index] = res.body.id;
        }
        return;
      }
      case 'upload-evidence':
      case 'view-evidence': {
        if (this.kind === 'view-evidence') {
          const inc = pickOf(live.filter((i) => i.exhibits.length));
          const ex = pickOf(inc.exhibits);
          await send(
            'GET',
            `/api/v1/incidents/${inc.id}/evidence/${ex.id}/view`,
            this.predict(inc, 200),
            () => [{ action: 'consult', objectType: 'exhibit', objectId: ex.id }],
          );
          return;
        }
        const inc = pickOf(live);
        const again = this.flag === 3 && inc.exhibits.length ? pickOf(inc.exhibits) : null;
        m.files += 1;
        const body = again?.body ?? buildJpeg({ seed: 1000 + m.files, size: 2048 });
        const res = await send(
          'PUT',
          `/api/v1/incidents/${inc.id}/evidence/${sha256(body)}`,
          this.predict(inc, again ? 200 : 201),
          (x) => [{ action: again ? 'consult' : 'collect', objectType: 'exhibit', objectId: x.body.id }],
          {
            raw: body,
            headers: {
              'content-type': 'application/octet-stream',
              'x-evidence-producer': encodeURIComponent(CANARY_NAME),
              'x-evidence-filename': 'till-cam.jpg',
            },
          },
        );
        if (res?.status === 201) {
          inc.exhibits.push({ id: res.body.id, body });
        }
        return;
      }
      case 'create-subject': {
        const res = await send(
          'POST',
          '/api/v1/subjects',
          this.predict(null, 201),
          (x) => [{ action: 'collect', objectType: 'subject', objectId: x.body.id }],
          { body: buildSubjectRequest({ name: CANARY_NAME, aliases: [`Q${TAG}`] }) },
        );
        if (res?.status === 201) {
          m.subjects.push(res.body.id);
        }
        return;
      }
      case 'amend-subject': {
        const s = pickOf(m.subjects);
        await send(
          'PATCH',
          `/api/v1/subjects/${s}`,
          this.predict(null, 200),
          () => [{ action: 'alter', objectType: 'subject', objectId: s }],
          { body: { aliases: [`Alias ${rid}`] } },
        );
        return;
      }
      case 'read-subject': {
        const s = pickOf(m.subjects);
        // tablets and analysts are refused; other shop roles and police see only gallery subjects
        const predicted =
          this.actor === 'device' || this.actor === Role.Analyst
            ? 403
            : INTEL.includes(this.actor)
              ? 200
              : 404;
        await send('GET', `/api/v1/subjects/${s}`, predicted, () => [
          { action: 'consult', objectType: 'subject', objectId: s },
        ]);
        return;
      }
      case 'link-subject': {
        const s = pickOf(m.subjects);
        const inc = m.incidents[(this.pick >> 3) % m.incidents.length];
        const key = `${s}|${inc.id}`;
        const existed = m.links.has(key);
        const predicted = !ALLOWED[this.kind].includes(this.actor) ? 403 : inc.erased ? 400 : 201;
        const res = await send(
          'POST',
          `/api/v1/subjects/${s}/incidents`,
          predicted,
          () => [
            // confirming an existing link returns it: a consultation at least
            { action: existed ? ['combine', 'consult'] : 'combine', objectType: 'subject', objectId: s },
          ],
          { body: { incidentId: inc.id, note: `seen on CCTV${INJECT}` } },
        );
        if (res?.status === 201) {
          m.links.add(key);
        }
        return;
      }
      case 'download-pack': {
        const recipient = `CPS Direct, reviewing lawyer ${rid}`;
        await send(
          'POST',
          `/api/v1/packs/${r.packId}/download`,
          this.predict(null, 200),
          () => [
            { action: 'disclose', objectType: 'evidence_pack', objectId: r.packId, recipients: [recipient] },
          ],
          { body: { recipient, purpose: `charging decision${INJECT}` } },
        );
        return;
      }
      case 'subject-access': {
        const byEmail = this.flag % 2 === 0;
        const body = byEmail
          ? { email: r.p.users.shopworker.email, justification: `request from the person${INJECT}` }
          : { name: CANARY_NAME };
        await send(
          'POST',
          '/api/v1/privacy/subject-access',
          this.predict(null, 200),
          () => [
            {
              action: 'disclose',
              objectType: 'subject_access',
              objectId: byEmail ? r.p.users.shopworker.id : null,
              recipients: ['data subject'],
            },
          ],
          { body },
        );
        return;
      }
      case 'erase': {
        // retention, as the worker runs it, with the report made older than its period
        const inc = pickOf(live);
        const days = r.retentionPeriods.incidentDays + 1;
        await r.owner.query(
          `UPDATE incidents SET created_at = now() - make_interval(days => $2) WHERE id = $1`,
          [inc.id, days],
        );
        const res = await r.history.run(
          { op: randomUUID(), client: 'retention', kind: this.kind },
          async () => {
            const run = await r.retention.apply(new Date(), r.retentionPeriods, rid);
            return { status: run.erased.some((e) => e.id === inc.id) ? 200 : 409, run };
          },
          (x): OpValue => ({
            requestId: rid,
            actorId: null,
            actorKind: 'system',
            predicted: 200,
            expected: x.status === 200 ? [{ action: 'erase', objectType: 'incident', objectId: inc.id }] : [],
            erased: x.run.erased.length,
          }),
        );
        if (res?.status === 200) {
          inc.erased = true;
          for (const k of [...m.links]) {
            if (k.endsWith(`|${inc.id}`)) {
              m.links.delete(k);
            }
          }
        }
        return;
      }
    }
  }

  toString(): string {
    return `${this.kind}(${this.actor}, ${this.pick}, ${this.flag})`;
  }
}

const opArb: fc.Arbitrary<Op> = fc
  .record({
    kind: fc.oneof(...WEIGHTS.map(([k, w]) => ({ arbitrary: fc.constant(k), weight: w }))),
    anyActor: fc.integer({ min: 0, max: 4 }),
    actor: fc.nat(),
    pick: fc.nat(),
    flag: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ kind, anyActor, actor, pick, flag }) => {
    // mostly someone allowed, sometimes anyone (refusals must leave no row)
    const pool = anyActor === 0 || !ALLOWED[kind].length ? ACTORS : ALLOWED[kind];
    return new Op(kind, kind === 'erase' ? Role.Admin : pool[actor % pool.length], pick, flag);
  });

// --- the test -------------------------------------------------------------------------------------

describe('S6 access log: every personal-data operation logged once, the log append-only and chained, no secret in any log', () => {
  let db: TestDatabase;
  let api: Proc | undefined;
  let worker: Proc | undefined;
  let appDs: DataSource | undefined;
  let keyDir: string;
  const started = new Date().toISOString();

  beforeAll(async () => {
    db = await createTestDatabase();
    keyDir = mkdtempSync(join(tmpdir(), 's6-key-'));
  });
  afterAll(async () => {
    await stopProcess(api);
    await stopProcess(worker);
    await appDs?.destroy();
    const storage = db?.config.storage.dir;
    await db?.drop();
    if (storage) {
      rmSync(resolve(ROOT, storage), { recursive: true, force: true });
    }
    rmSync(keyDir, { recursive: true, force: true });
  });

  it('logs each operation exactly once with its fields; the log is append-only, chained and free of secrets', async () => {
    const jwtSecret = `jwt-canary-${randomBytes(24).toString('hex')}`;
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      DATABASE_URL: db.config.db.url,
      DATABASE_MIGRATION_URL: db.config.db.migrationUrl,
      REDIS_URL: db.config.redis.url,
      REDIS_PREFIX: db.config.redis.prefix,
      LOG_LEVEL: 'trace',
      API_PORT: '0',
      JWT_SECRET: jwtSecret,
      QUEUE_LOCK_DURATION_MS: '2000',
      QUEUE_STALLED_INTERVAL_MS: '500',
      STORAGE_DIR: db.config.storage.dir,
      EVIDENCE_SIGNING_KEY_PATH: join(keyDir, 'signing.pem'),
      // the test profile's limits (S7 tests the production ones)
      REPORT_RATE_LIMIT_PER_MINUTE: String(db.config.limits.reportsPerMinute),
      PACK_RATE_LIMIT_PER_HOUR: String(db.config.limits.packsPerHour),
    };
    api = startProcess('api', 'apps/api/src/main.ts', env);
    worker = startProcess('worker', 'apps/worker/src/main.ts', env);
    const listening = await waitForLine(api, (l) => l.msg === 'api listening');
    const http = new HttpClient(String(listening.url).replace('[::1]', '127.0.0.1'));
    const testApi = { db, http, app: undefined, close: async () => undefined } as unknown as TestApi;
    const p = await givenPartnership(testApi);

    const history = new History(ID);
    const setup = async (
      method: string,
      path: string,
      token: string,
      opts: { body?: unknown; raw?: Buffer; headers?: Record<string, string> } = {},
    ) => {
      const rid = `setup-${randomBytes(6).toString('hex')}`;
      const res = await history.run(
        { op: randomUUID(), client: 'setup', kind: 'setup' },
        () =>
          http.request(method, path, {
            token,
            ...opts,
            headers: { 'x-request-id': rid, ...(opts.headers ?? {}) },
          }),
        () => ({ requestId: rid, path }),
      );
      if (!res || res.status >= 300) {
        throw new Error(`setup ${method} ${path}: ${res?.status} ${res?.text}`);
      }
      return res;
    };
    // a till tablet at the first store, keeping its credential (a canary too)
    const enrol = await setup('POST', '/api/v1/devices', p.tokens.coordinator, {
      body: { storeId: p.storeIds[0], name: 'Till S6' },
    });
    const deviceLogin = await setup('POST', '/api/v1/auth/device', '', {
      body: { credential: enrol.body.credential },
    });
    const tokens = { ...p.tokens, device: deviceLogin.body.accessToken as string } as Record<Actor, string>;
    const actorIds = {
      ...Object.fromEntries(Object.values(Role).map((r) => [r, p.users[r].id])),
      device: enrol.body.id as string,
    } as Record<Actor, string>;

    // a ready evidence pack: a report with an exhibit, a police case, built by the worker process
    const caseIncident = (
      await setup('POST', '/api/v1/incidents', tokens.device, {
        body: buildIncidentRequest({ narrative: `Pack report, witness ${CANARY_NAME}` }),
        headers: { 'idempotency-key': randomUUID() },
      })
    ).body.id as string;
    const still = buildJpeg({ seed: 5, size: 4096 });
    await setup('PUT', `/api/v1/incidents/${caseIncident}/evidence/${sha256(still)}`, tokens.device, {
      raw: still,
      headers: {
        'content-type': 'application/octet-stream',
        'x-evidence-producer': encodeURIComponent(CANARY_NAME),
      },
    });
    const opened = await setup('POST', '/api/v1/cases', tokens.police, {
      body: { incidentId: caseIncident, reason: 'theft with threats' },
    });
    const queued = await setup('POST', `/api/v1/cases/${opened.body.id}/packs`, tokens.police, { body: {} });
    const packId = queued.body.id as string;
    // the worker has been starting meanwhile; it builds the pack in its own child process
    await waitForLine(worker, (l) => l.msg === 'worker started');
    await eventually(
      async () => {
        const r = await http.get(`/api/v1/packs/${packId}`, tokens.police);
        if (r.body?.status !== 'ready') {
          throw new Error(`pack ${r.body?.status} ${r.body?.error ?? ''}`);
        }
      },
      90_000,
      250,
    );
    const [{ max: setupMaxSeq }] = await db.owner.query(
      `SELECT coalesce(max(seq), 0)::int AS max FROM access_log WHERE partnership_id = $1`,
      [p.partnershipId],
    );

    // the model-based run: retention in this process as the worker runs it (app role, system mode)
    appDs = new DataSource(dataSourceOptions(db.config, { entities: ALL_ENTITIES }));
    await appDs.initialize();
    const real: Real = {
      http,
      history,
      tokens,
      actorIds,
      p,
      packId,
      retention: new RetentionRepository(new SystemDb(appDs)),
      retentionPeriods: db.config.retention,
      owner: db.owner,
    };
    const model: Model = { budget: OPERATIONS, files: 0, incidents: [], subjects: [], links: new Set() };
    await fc.assert(
      fc.asyncProperty(fc.commands([opArb], { maxCommands: 40 }), async (cmds) => {
        if (model.budget > 0) {
          await fc.asyncModelRun(() => ({ model, real }), cmds);
        }
      }),
      { seed: FC_SEED, numRuns: OPERATIONS, endOnFailure: true },
    );

    // hostile input aimed at the log lines themselves (not operations: they only must not forge lines)
    for (const path of [
      `/api/v1/incidents/${encodeURIComponent(INJECT)}`,
      `/api/v1/no-such-route/${encodeURIComponent(INJECT)}`,
      `/api/v1/subjects?cursor=${encodeURIComponent(INJECT)}`,
    ]) {
      await history.run({ op: randomUUID(), client: Role.Coordinator, kind: 'inject' }, () =>
        http.request('GET', path, { token: tokens.coordinator, headers: { 'user-agent': `agent ${TAG}` } }),
      );
    }
    await history.run({ op: randomUUID(), client: Role.Coordinator, kind: 'inject' }, () =>
      http.request('POST', '/api/v1/subjects', {
        token: tokens.coordinator,
        raw: `{"name": "${INJECT}`,
        headers: { 'content-type': 'application/json' },
      }),
    );

    // quiet: the worker has published every outbox row, then both processes stop
    await eventually(
      async () => {
        const [{ n }] = await db.owner.query(
          `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`,
        );
        if (n > 0) {
          throw new Error(`${n} outbox rows unpublished`);
        }
      },
      30_000,
      200,
    ).catch(() => undefined);
    // the s.62 log as the api exports it (coordinator): every entry, times in UTC, user text
    // with CR/LF kept as data and escaped in the JSON, never a raw line break
    const exported: { at: string; justification: string | null; recipients: string[] }[] = [];
    let exportRawLineBreaks = 0;
    for (let before: string | undefined, page = 0; page < 100; page++) {
      const res = await history.run({ op: randomUUID(), client: Role.Coordinator, kind: 'export' }, () =>
        http.get(`/api/v1/access-log?limit=500${before ? `&beforeSeq=${before}` : ''}`, tokens.coordinator),
      );
      exportRawLineBreaks += (res?.text.match(/[\r\n]/g) ?? []).length;
      const items = (res?.body?.items ?? []) as {
        seq: string;
        at: string;
        justification: string | null;
        recipients: string[];
      }[];
      exported.push(...items);
      if (items.length < 500) {
        break;
      }
      before = items[items.length - 1].seq;
    }
    const verifyRes = await http.get('/api/v1/access-log/verify', tokens.coordinator);
    await new Promise((r) => setTimeout(r, 1000));
    await stopProcess(api);
    await stopProcess(worker);

    // the checker: history from disk, the log as the owner reads it
    const readRows = async (q: (sql: string, params?: unknown[]) => Promise<any[]>): Promise<LogRow[]> =>
      (
        await q(
          `SELECT seq::int AS seq, partnership_id, actor_id, actor_kind, action::text AS action, object_type, object_id,
                  recipients, justification, request_id, prev_hash, hash, access_log_entry_hash(a) AS db_hash,
                  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_utc
             FROM access_log a WHERE partnership_id = $1 ORDER BY seq`,
          [p.partnershipId],
        )
      ).map((r) => ({ ...r, recipients: r.recipients ?? [] }) as LogRow);
    const ownerQuery = (sql: string, params?: unknown[]) => db.owner.query(sql, params);
    const entries = readHistory(history.file);
    const rows = await readRows(ownerQuery);
    const ops = checkOperations(entries, rows, p.partnershipId, setupMaxSeq);
    const chain = checkChain(rows);
    const [apiVerdict] = await db.owner.query(
      `WITH chain AS (
         SELECT seq, hash, prev_hash, access_log_entry_hash(a) AS expected, lag(hash, 1, '') OVER (ORDER BY seq) AS previous
           FROM access_log a WHERE partnership_id = $1)
       SELECT count(*)::int AS entries, min(seq) FILTER (WHERE hash <> expected OR prev_hash <> previous)::text AS broken_at FROM chain`,
      [p.partnershipId],
    );

    // the app role: INSERT and SELECT only; every mutation refused (tenant and system mode)
    const app = new Client({ connectionString: db.config.db.url });
    await app.connect();
    const mutations = [
      `UPDATE access_log SET justification = 'rewritten' WHERE partnership_id = '${p.partnershipId}'`,
      `UPDATE access_log SET hash = prev_hash`,
      `DELETE FROM access_log WHERE partnership_id = '${p.partnershipId}'`,
      `DELETE FROM access_log`,
      `TRUNCATE access_log`,
      `ALTER TABLE access_log DISABLE TRIGGER access_log_immutable`,
    ];
    let mutationAttempts = 0;
    let mutationSuccesses = 0;
    const mutationErrors: string[] = [];
    const privileges: Record<string, boolean> = {};
    try {
      for (const mode of ['tenant', 'system'] as const) {
        for (const sql of mutations) {
          mutationAttempts += 1;
          await app.query('BEGIN');
          try {
            if (mode === 'tenant') {
              await app.query(`SELECT set_config('app.partnership_id', $1, true)`, [p.partnershipId]);
            } else {
              await app.query(`SELECT set_config('app.system', 'on', true)`);
            }
            const r = await app.query(sql);
            if (r.command === 'TRUNCATE' || r.command === 'ALTER' || (r.rowCount ?? 0) > 0) {
              mutationSuccesses += 1;
            }
          } catch (err) {
            mutationErrors.push(String((err as Error).message).slice(0, 80));
          } finally {
            await app.query('ROLLBACK');
          }
        }
      }
      for (const priv of ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) {
        privileges[priv] = (
          await app.query(`SELECT has_table_privilege('hub_app', 'access_log', $1) AS ok`, [priv])
        ).rows[0].ok as boolean;
      }
    } finally {
      await app.end();
    }
    const grantsWrong =
      (privileges.SELECT ? 0 : 1) +
      (privileges.INSERT ? 0 : 1) +
      (privileges.UPDATE ? 1 : 0) +
      (privileges.DELETE ? 1 : 0) +
      (privileges.TRUNCATE ? 1 : 0);

    // canaries: in every access_log row of the database, and in everything both processes wrote
    const secrets: Record<string, string> = {
      password: p.users.shopworker.password,
      jwtSecret,
      deviceCredential: String(enrol.body.credential),
      canaryName: CANARY_NAME,
      ...Object.fromEntries(Object.entries(tokens).map(([who, t]) => [`accessToken:${who}`, t])),
      ...Object.fromEntries(
        Object.entries(tokens).map(([who, t]) => [`accessTokenSignature:${who}`, t.split('.')[2] ?? t]),
      ),
      ...Object.fromEntries(Object.entries(p.refreshTokens).map(([who, t]) => [`refreshToken:${who}`, t])),
    };
    const allLogRows = (await db.owner.query(`SELECT row_to_json(a)::text AS j FROM access_log a`))
      .map((r: { j: string }) => r.j)
      .join('\n');
    const output = [api, worker].map((pr) => `${text(pr!.stdout)}\n${text(pr!.stderr)}`).join('\n');
    const rowCanaries = canaryHits(allLogRows, secrets);
    const outputCanaries = canaryHits(output, secrets);
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    const apiLines = checkLogLines(text(api.stdout), TAG);
    const workerLines = checkLogLines(text(worker.stdout), TAG);

    const { perAction: _perAction, jobRowKinds: _jobRowKinds, problems: _problems, ...opCounts } = ops;
    const counts = {
      ...opCounts,
      coveragePercent: ops.personalDataOps ? Math.round((1000 * ops.covered) / ops.personalDataOps) / 10 : 0,
      ...chain,
      dbChainBroken: apiVerdict.broken_at === null ? 0 : 1,
      mutationAttempts,
      mutationSuccesses,
      grantsWrong,
      canaryHitsInLogRows: sum(rowCanaries),
      canaryHitsInOutput: sum(outputCanaries),
      apiLogLines: apiLines.logLines,
      workerLogLines: workerLines.logLines,
      logLinesNotJson: apiLines.notJson + workerLines.notJson,
      rawCarriageReturns: apiLines.rawCR + workerLines.rawCR,
      forgedLogLines: apiLines.forged + workerLines.forged,
      logLinesCarryingInjectedInput: apiLines.carryingInput + workerLines.carryingInput,
      exportEntries: exported.length,
      exportEntriesMissing: Math.max(0, chain.chainEntries - exported.length),
      exportTimesNotUtc: exported.filter((e) => !/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(e.at)).length,
      exportRawLineBreaks,
      exportEntriesCarryingInput: exported.filter(
        (e) => e.justification?.includes(INJECT) || e.recipients.some((x) => x.includes(INJECT)),
      ).length,
      apiVerifyInvalid: verifyRes.status === 200 && verifyRes.body?.valid === true ? 0 : 1,
    };
    const violations = (c: typeof counts) =>
      c.missingRows +
      c.duplicateRows +
      c.unexpectedRows +
      c.wrongFieldRows +
      c.rowsOnRefused +
      c.orphanRows +
      c.unanswered +
      c.seqGaps +
      c.linkBroken +
      c.dbHashMismatch +
      c.recomputedMismatch +
      c.dbChainBroken +
      c.mutationSuccesses +
      c.grantsWrong +
      c.canaryHitsInLogRows +
      c.canaryHitsInOutput +
      c.logLinesNotJson +
      c.rawCarriageReturns +
      c.forgedLogLines +
      c.exportEntriesMissing +
      c.exportTimesNotUtc +
      c.exportRawLineBreaks +
      c.apiVerifyInvalid;

    // --- negative controls ---
    const controls: NegativeControl[] = [];
    const okOps = entries.filter(
      (e) =>
        e.kind !== 'setup' &&
        e.kind !== 'inject' &&
        e.outcome === 'ok' &&
        !!e.value?.requestId &&
        !!(e.value as OpValue).expected?.length,
    );
    const victim = okOps[Math.floor(okOps.length / 2)];
    const victimId = (victim.value as OpValue).requestId;
    const owner = new Client({ connectionString: db.config.db.migrationUrl });
    await owner.connect();
    try {
      const q = async (sql: string, params?: unknown[]) => (await owner.query(sql, params)).rows;
      await owner.query('BEGIN');
      // (1) a route variant that skipped its log row: the owner deletes one row (the trigger must
      // be switched off even for the owner); everything here is rolled back
      await owner.query(`ALTER TABLE access_log DISABLE TRIGGER access_log_immutable`);
      const deleted = await owner.query(
        `DELETE FROM access_log WHERE partnership_id = $1 AND request_id = $2`,
        [p.partnershipId, victimId],
      );
      const afterDelete = await readRows(q);
      const c1 = checkOperations(entries, afterDelete, p.partnershipId, setupMaxSeq);
      const ch1 = checkChain(afterDelete);
      controls.push({
        variant: `a route that skipped its log row (owner deleted the ${deleted.rowCount} row(s) of one ${victim.kind})`,
        counts: {
          missingRows: c1.missingRows,
          covered: c1.covered,
          linkBroken: ch1.linkBroken + ch1.seqGaps,
        },
        caught:
          c1.missingRows > ops.missingRows && c1.covered < ops.covered && ch1.linkBroken + ch1.seqGaps > 0,
      });
      // (2) an owner mutation succeeds once the trigger is off: the app role's 0 is a real 0
      const updated = await owner.query(
        `UPDATE access_log SET justification = 'rewritten' WHERE partnership_id = $1`,
        [p.partnershipId],
      );
      const ch2 = checkChain(await readRows(q));
      controls.push({
        variant: 'the same UPDATE as the table owner with the immutability trigger off',
        counts: { rowsUpdated: updated.rowCount ?? 0, recomputedMismatch: ch2.recomputedMismatch },
        caught: (updated.rowCount ?? 0) > 0 && ch2.recomputedMismatch > 0,
      });
      await owner.query('ROLLBACK');

      // (3) a duplicated row and (4) a canary in a row: one extra row under a real request id
      await owner.query('BEGIN');
      const v = victim.value as OpValue;
      const e0 = v.expected[0];
      await owner.query(
        `INSERT INTO access_log (partnership_id, seq, actor_id, actor_kind, action, object_type, object_id, recipients, justification, request_id, prev_hash, hash)
         VALUES ($1, 0, $2, $3, $4, $5, $6, $7, $8, $9, '', '')`,
        [
          p.partnershipId,
          v.actorId,
          v.actorKind,
          Array.isArray(e0.action) ? e0.action[0] : e0.action,
          e0.objectType,
          e0.objectId,
          e0.recipients ?? [],
          `note with ${secrets.password}`,
          v.requestId,
        ],
      );
      const withExtra = await readRows(q);
      const c3 = checkOperations(entries, withExtra, p.partnershipId, setupMaxSeq);
      controls.push({
        variant: 'a route writing its row twice (owner inserted a copy)',
        counts: { duplicateRows: c3.duplicateRows },
        caught: c3.duplicateRows > ops.duplicateRows,
      });
      const extraCanaries = sum(
        canaryHits(
          (await q(`SELECT row_to_json(a)::text AS j FROM access_log a`)).map((r) => r.j).join('\n'),
          secrets,
        ),
      );
      controls.push({
        variant: 'a password written into a log row',
        counts: { canaryHitsInLogRows: extraCanaries },
        caught: extraCanaries > counts.canaryHitsInLogRows,
      });
      await owner.query('ROLLBACK');
    } finally {
      await owner.end();
    }
    // (5) an operation that wrote no row: a successful consultation in the history, never logged
    const ghost = mutated(entries, (es) => [
      ...es,
      {
        ...victim,
        op: randomUUID(),
        kind: 'read-incident',
        value: {
          ...(victim.value as OpValue),
          requestId: `s6-ghost-${TAG}`,
          expected: [{ action: 'consult', objectType: 'incident', objectId: randomUUID() }],
          predicted: victim.status ?? 200,
        },
      },
    ]);
    const c5 = checkOperations(ghost, rows, p.partnershipId, setupMaxSeq);
    controls.push({
      variant: 'an operation that succeeded with no log row',
      counts: { missingRows: c5.missingRows },
      caught: c5.missingRows === ops.missingRows + 1,
    });
    // (6) a secret and (7) a forged line in the captured output
    const leaked = sum(canaryHits(`${output}\n{"level":30,"auth":"${tokens.police}"}`, secrets));
    controls.push({
      variant: 'an access token printed in a log line',
      counts: { canaryHitsInOutput: leaked },
      caught: leaked > counts.canaryHitsInOutput,
    });
    const forgedOutput = checkLogLines(`${text(api.stdout)}{"level":30,"msg":"request"}${INJECT}`, TAG);
    controls.push({
      variant: 'user input with LF written raw into a log line',
      counts: { forged: forgedOutput.forged, notJson: forgedOutput.notJson, rawCR: forgedOutput.rawCR },
      caught: forgedOutput.forged > apiLines.forged,
    });

    const passed = violations(counts) === 0 && ops.personalDataOps > 0 && controls.every((c) => c.caught);
    recordResult({
      id: ID,
      title:
        'Access log (DPA 2018 s.62): model-based operations across roles, append-only chained log, no secrets in logs',
      seed: SEED,
      counts,
      passFigure: 's.62 coverage 100%; successful log mutations 0; canary hits in logs 0',
      passed,
      negativeControls: controls,
      config: {
        fastCheckSeed: FC_SEED,
        operations: OPERATIONS,
        maxCommandsPerRun: 40,
        weights: Object.fromEntries(WEIGHTS),
        actors: ACTORS,
        logLevel: 'trace',
        processes: 'api and worker as separate node processes (ts-node), stdout and stderr captured',
        perAction: ops.perAction,
        jobRowsWrittenByWorkerJobs: ops.jobRowKinds,
        appRolePrivileges: privileges,
      },
      historyFile: history.file,
      notes: [
        ...ops.problems,
        ...(Object.keys(rowCanaries).length
          ? [`canaries in access_log rows: ${JSON.stringify(rowCanaries)}`]
          : []),
        ...(Object.keys(outputCanaries).length
          ? [`canaries in output: ${JSON.stringify(outputCanaries)}`]
          : []),
        `logs: ${api.file}, ${worker.file}`,
        `CR/LF: ${counts.logLinesCarryingInjectedInput} log lines carried user input (the api logs no user-supplied field); ${counts.exportEntriesCarryingInput} exported access-log entries carry CR/LF input, JSON-escaped`,
        "erase runs RetentionRepository.apply (the worker job's code) in this process on the app role, after the report's created_at is moved past its period as the owner",
      ],
      startedAt: started,
    });
    expect(controls.filter((c) => !c.caught)).toEqual([]);
    expect(ops.problems).toEqual([]);
    expect(counts).toMatchObject({
      missingRows: 0,
      duplicateRows: 0,
      unexpectedRows: 0,
      wrongFieldRows: 0,
      rowsOnRefused: 0,
      orphanRows: 0,
      unanswered: 0,
      modelMismatch: 0,
      seqGaps: 0,
      linkBroken: 0,
      dbHashMismatch: 0,
      recomputedMismatch: 0,
      dbChainBroken: 0,
      mutationSuccesses: 0,
      grantsWrong: 0,
      canaryHitsInLogRows: 0,
      canaryHitsInOutput: 0,
      logLinesNotJson: 0,
      rawCarriageReturns: 0,
      forgedLogLines: 0,
      exportEntriesMissing: 0,
      exportTimesNotUtc: 0,
      exportRawLineBreaks: 0,
      apiVerifyInvalid: 0,
    });
    expect(ops.personalDataOps).toBeGreaterThan(0);
  });
});
