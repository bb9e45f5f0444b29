import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { Role } from '@app/auth';
import {
  buildIsoMedia,
  buildJpeg,
  buildPng,
  buildSubjectRequest,
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  postIncident,
  sha256,
  startTestApi,
  type TestApi,
} from '@app/testing';
import { readHistory } from '../lib/history-reader';
import {
  deriveSeed,
  History,
  type HistoryEntry,
  type NegativeControl,
  recordResult,
  SPEC_TIMEOUT_MS,
} from '../lib/programme';

/**
 * E2 immutability (quality.md section 5.2): masters are content-addressed and write-once. As the
 * app role (hub_app), with a tenant set and in system mode, every UPDATE, DELETE, TRUNCATE and
 * upsert on the evidence tables must be refused by the database; through the api, every route and
 * verb on evidence and subject images, and every attempt to overwrite a stored master (same
 * address, other bytes; same bytes again; the same master through another route), must leave each
 * master row and file exactly as it was. Every derivative names its parent master. Negative
 * control: the same SQL as the migration role (hub_owner) succeeds, inside rolled-back
 * transactions; a derivative row without its parent is counted.
 */
jest.setTimeout(SPEC_TIMEOUT_MS);
const ID = 'E2';
const SEED = deriveSeed(ID);
const TABLES = ['evidence_masters', 'evidence_derivatives', 'exhibits'] as const;

/**
 * One SQL write attempt per table. `effect` (run in the same transaction, after the statement)
 * tells whether it took effect where a statement can pass without doing anything (PostgreSQL
 * answers a GRANT by a non-owner with a warning, not an error).
 */
const WRITES: {
  name: string;
  sql: (table: string) => string;
  tables?: readonly string[];
  effect?: string;
}[] = [
  { name: 'UPDATE', sql: (t) => `UPDATE ${t} SET created_at = created_at` },
  { name: 'UPDATE sha256', sql: (t) => `UPDATE ${t} SET sha256 = md5(sha256) || md5(sha256)` },
  {
    name: 'UPDATE media_type',
    sql: () => `UPDATE evidence_masters SET media_type = 'text/html'`,
    tables: ['evidence_masters'],
  },
  { name: 'DELETE', sql: (t) => `DELETE FROM ${t}` },
  { name: 'TRUNCATE', sql: (t) => `TRUNCATE ${t}` },
  {
    name: 'upsert overwrite',
    sql: () =>
      `INSERT INTO evidence_masters (partnership_id, sha256, size_bytes, media_type)
         SELECT partnership_id, sha256, 1, 'text/html' FROM evidence_masters LIMIT 1
       ON CONFLICT (partnership_id, sha256) DO UPDATE SET media_type = EXCLUDED.media_type, size_bytes = 1`,
    tables: ['evidence_masters'],
  },
  {
    name: 'disable RLS',
    sql: () => `ALTER TABLE evidence_masters DISABLE ROW LEVEL SECURITY`,
    tables: ['evidence_masters'],
    effect: `SELECT NOT relrowsecurity AS ok FROM pg_class WHERE oid = 'evidence_masters'::regclass`,
  },
  {
    name: 'grant UPDATE, DELETE to hub_app',
    sql: () => `GRANT UPDATE, DELETE ON evidence_masters TO hub_app`,
    tables: ['evidence_masters'],
    effect: `SELECT has_table_privilege('hub_app', 'evidence_masters', 'UPDATE') AS ok`,
  },
];

interface FileState {
  sha: string;
  ino: number;
  mtimeMs: number;
  mode: number;
  size: number;
  bytesSha: string;
}

/** The checker over the attempt history and the before/after state of masters and derivatives. */
export function checkImmutability(
  attempts: HistoryEntry[],
  before: Map<string, FileState>,
  after: Map<string, FileState | null>,
  rowsBefore: Map<string, string>,
  rowsAfter: Map<string, string>,
  derivatives: { sha256: string; parent_sha256: string | null; parent_exists: boolean; file_ok: boolean }[],
) {
  const app = attempts.filter((a) => a.client.startsWith('hub_app'));
  const viaApi = attempts.filter((a) => a.client.startsWith('api:'));
  const filesChanged = [...before.entries()].filter(([sha, b]) => {
    const a = after.get(sha);
    return (
      !a ||
      a.ino !== b.ino ||
      a.mtimeMs !== b.mtimeMs ||
      a.size !== b.size ||
      a.bytesSha !== b.bytesSha ||
      a.bytesSha !== sha ||
      (a.mode & 0o222) !== 0
    );
  }).length;
  const rowsChanged = [...rowsBefore.entries()].filter(
    ([id, v]) => rowsAfter.has(id) && rowsAfter.get(id) !== v,
  ).length;
  return {
    sqlAttempts: app.length,
    sqlSuccesses: app.filter((a) => a.value?.succeeded === true).length,
    /** no error but no rows either: protected by row-level security alone, not by a refused privilege */
    sqlSilentNoops: app.filter((a) => a.value?.succeeded !== true && a.value?.error === undefined).length,
    apiAttempts: viaApi.length,
    /** a write-like route answered 2xx (an identical re-upload is idempotent and not counted) */
    apiSuccesses: viaApi.filter((a) => a.outcome === 'ok' && a.value?.idempotentReupload !== true).length,
    apiServerErrors: viaApi.filter((a) => a.outcome === 'info').length,
    masters: before.size,
    masterFilesChanged: filesChanged,
    masterRowsChanged: rowsChanged,
    masterRowsMissing: [...rowsBefore.keys()].filter((id) => !rowsAfter.has(id)).length,
    derivatives: derivatives.length,
    derivativesWithoutParent: derivatives.filter((d) => !d.parent_sha256 || !d.parent_exists).length,
    derivativeFilesBad: derivatives.filter((d) => !d.file_ok).length,
  };
}

describe('E2 immutability of evidence masters', () => {
  let api: TestApi;
  let p: GivenPartnership;
  let tablet: { deviceId: string; token: string };
  let storage: string;
  let incidentId: string;
  let subjectId: string;
  const uploaded: { sha: string; body: Buffer; exhibitId: string }[] = [];
  const started = new Date().toISOString();

  beforeAll(async () => {
    api = await startTestApi();
    storage = resolve(api.db.config.storage.dir);
    p = await givenPartnership(api);
    tablet = await givenTablet(api, p);
    incidentId = (await postIncident(api, tablet.token)).body.id as string;
    for (const body of [buildJpeg({ seed: 31, size: 40_000 }), buildIsoMedia('isom', 30_000), buildPng()]) {
      const r = await api.http.request('PUT', `/api/v1/incidents/${incidentId}/evidence/${sha256(body)}`, {
        token: tablet.token,
        raw: body,
        headers: { 'content-type': 'application/octet-stream', 'x-evidence-producer': 'Jo%20Smith' },
      });
      expect(r.status).toBe(201);
      uploaded.push({ sha: sha256(body), body, exhibitId: r.body.id as string });
    }
    subjectId = (await api.http.post('/api/v1/subjects', buildSubjectRequest(), p.tokens.coordinator)).body
      .id as string;
    const image = buildJpeg({ seed: 32 });
    const img = await api.http.request('POST', `/api/v1/subjects/${subjectId}/images`, {
      token: p.tokens.coordinator,
      raw: image,
      headers: { 'content-type': 'application/octet-stream', 'x-content-sha256': sha256(image) },
    });
    expect(img.status).toBe(201);
  });
  afterAll(async () => {
    await api?.close();
    if (storage) {
      rmSync(storage, { recursive: true, force: true });
    }
  });

  const masterFile = (sha: string) => join(storage, 'masters', p.partnershipId, sha.slice(0, 2), sha);
  const fileState = (sha: string, path = masterFile(sha)): FileState | null => {
    if (!existsSync(path)) {
      return null;
    }
    const st = statSync(path);
    return {
      sha,
      ino: st.ino,
      mtimeMs: st.mtimeMs,
      mode: st.mode,
      size: st.size,
      bytesSha: createHash('sha256').update(readFileSync(path)).digest('hex'),
    };
  };
  const masterRows = async () =>
    new Map<string, string>(
      (
        await api.db.owner.query(
          `SELECT id, concat_ws('|', partnership_id, sha256, size_bytes, media_type, created_at) AS v
             FROM evidence_masters WHERE partnership_id = $1`,
          [p.partnershipId],
        )
      ).map((r: { id: string; v: string }) => [r.id, r.v]),
    );

  /** Runs one statement in a transaction that is always rolled back; reports what happened. */
  async function attempt(
    client: Client,
    context: 'tenant' | 'system' | 'owner',
    sql: string,
    effect?: string,
  ): Promise<{ succeeded: boolean; rows: number | null; error?: string }> {
    await client.query('BEGIN');
    try {
      if (context === 'tenant') {
        await client.query(`SELECT set_config('app.partnership_id', $1, true)`, [p.partnershipId]);
      } else if (context === 'system') {
        await client.query(`SELECT set_config('app.system', 'on', true)`);
      }
      const r = await client.query(sql);
      const rows = r.rowCount ?? null;
      if (effect) {
        // a statement PostgreSQL lets pass with a warning but no effect is a refusal
        const took = Boolean((await client.query(effect)).rows[0]?.ok);
        return { succeeded: took, rows, ...(took ? {} : { error: 'passed with a warning, took no effect' }) };
      }
      // TRUNCATE and SET report no row count: they succeeded if they did not throw
      return { succeeded: r.command === 'TRUNCATE' || r.command === 'SET' || (rows ?? 0) > 0, rows };
    } catch (err) {
      return { succeeded: false, rows: null, error: String((err as Error).message).slice(0, 160) };
    } finally {
      await client.query('ROLLBACK');
    }
  }

  it('refuses every write to masters by the app role and through the api; every derivative has its parent', async () => {
    const history = new History(ID);
    const mastersBefore = await masterRows();
    const shas: string[] = (
      await api.db.owner.query(`SELECT sha256 FROM evidence_masters WHERE partnership_id = $1`, [
        p.partnershipId,
      ])
    ).map((r: { sha256: string }) => r.sha256);
    const before = new Map(shas.map((s) => [s, fileState(s)!]));
    expect([...before.values()].every(Boolean)).toBe(true);

    // 1. the database, as hub_app: with a tenant set and in system mode (the most the app can be)
    const app = new Client({ connectionString: api.db.config.db.url });
    await app.connect();
    const sqlCases: { name: string; table: string; sql: string; effect?: string }[] = [];
    for (const w of WRITES) {
      for (const table of w.tables ?? TABLES) {
        sqlCases.push({ name: w.name, table, sql: w.sql(table), effect: w.effect });
      }
    }
    // the app role switching to the owner (not a write, so not repeated as the owner)
    sqlCases.push({ name: 'SET ROLE owner', table: '-', sql: `SET LOCAL ROLE hub_owner` });
    try {
      for (const context of ['tenant', 'system'] as const) {
        for (const c of sqlCases) {
          await history.run(
            { op: randomUUID(), client: `hub_app:${context}`, kind: `${c.name} ${c.table}` },
            async () => {
              const r = await attempt(app, context, c.sql, c.effect);
              return { status: r.succeeded ? 200 : 403, ...r };
            },
            (r) => ({ succeeded: r.succeeded, rows: r.rows, error: r.error, sql: c.sql }),
          );
        }
      }
    } finally {
      await app.end();
    }

    // 2. the api: every documented route on evidence and subject images, with every verb, as
    // every role and the tablet; then the overwrite attempts on stored masters
    const doc = (await api.http.get('/api/docs-json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    // evidence on reports and subject images (not the police evidence-request workflow)
    const evidencePaths = Object.keys(doc.paths).filter((path) => /\/evidence(\/|$)|images/.test(path));
    const tokens: [string, string][] = [
      ...Object.values(Role).map((r) => [r, p.tokens[r]] as [string, string]),
      ['tablet', tablet.token],
    ];
    const target = uploaded[0];
    const fill = (path: string) =>
      path
        .replace('{incidentId}', incidentId)
        .replace('{id}', path.startsWith('/api/v1/subjects') ? subjectId : target.exhibitId)
        .replace('{exhibitId}', target.exhibitId)
        .replace('{sha256}', target.sha);
    const other = buildJpeg({ seed: 77, size: target.body.length - 200 });
    for (const path of evidencePaths) {
      const documented = Object.keys(doc.paths[path]).map((m) => m.toUpperCase());
      // writes only: the documented write verbs, and verbs the route does not document
      const verbs = [...new Set(['PUT', 'PATCH', 'DELETE', 'POST', ...documented])].filter(
        (v) => v !== 'GET',
      );
      for (const verb of verbs) {
        for (const [who, token] of tokens) {
          await history.run(
            { op: randomUUID(), client: `api:${who}`, kind: `${verb} ${path}` },
            () =>
              api.http.request(verb, fill(path), {
                token,
                raw: other,
                headers: {
                  'content-type': 'application/octet-stream',
                  'x-evidence-producer': 'Mallory',
                  'x-content-sha256': target.sha,
                  'idempotency-key': randomUUID(),
                },
              }),
            (r) => ({ documented: documented.includes(verb), code: r.body?.code }),
          );
        }
      }
    }
    // overwrite attempts aimed at stored masters
    const subjectImageSha = shas.find((s) => !uploaded.some((u) => u.sha === s))!;
    const overwrite: {
      kind: string;
      send: () => ReturnType<TestApi['http']['request']>;
      idempotent?: boolean;
    }[] = [];
    for (const u of uploaded) {
      overwrite.push(
        {
          kind: 'PUT other bytes at a stored master address',
          send: () =>
            api.http.request('PUT', `/api/v1/incidents/${incidentId}/evidence/${u.sha}`, {
              token: tablet.token,
              raw: other,
              headers: { 'content-type': 'application/octet-stream', 'x-evidence-producer': 'Mallory' },
            }),
        },
        {
          kind: 'PUT the same bytes again (idempotent: must not touch the file)',
          idempotent: true,
          send: () =>
            api.http.request('PUT', `/api/v1/incidents/${incidentId}/evidence/${u.sha}`, {
              token: tablet.token,
              raw: u.body,
              headers: { 'content-type': 'application/octet-stream', 'x-evidence-producer': 'Mallory' },
            }),
        },
        {
          kind: 'subject image with a stored master hash and other bytes',
          send: () =>
            api.http.request('POST', `/api/v1/subjects/${subjectId}/images`, {
              token: p.tokens.coordinator,
              raw: other,
              headers: { 'content-type': 'application/octet-stream', 'x-content-sha256': u.sha },
            }),
        },
        {
          kind: 'PUT a truncated copy at a stored master address',
          send: () =>
            api.http.request('PUT', `/api/v1/incidents/${incidentId}/evidence/${u.sha}`, {
              token: tablet.token,
              raw: u.body.subarray(0, Math.floor(u.body.length / 2)),
              headers: { 'content-type': 'application/octet-stream', 'x-evidence-producer': 'Mallory' },
            }),
        },
      );
    }
    // the same master through another report: a new exhibit, the master file untouched
    const secondIncident = (await postIncident(api, tablet.token)).body.id as string;
    overwrite.push({
      kind: 'the same bytes on another report (a new exhibit of the same master)',
      idempotent: true,
      send: () =>
        api.http.request('PUT', `/api/v1/incidents/${secondIncident}/evidence/${target.sha}`, {
          token: tablet.token,
          raw: target.body,
          headers: { 'content-type': 'application/octet-stream', 'x-evidence-producer': 'Jo%20Smith' },
        }),
    });
    overwrite.push({
      kind: 'traversal in the hash segment',
      send: () =>
        api.http.request(
          'PUT',
          `/api/v1/incidents/${incidentId}/evidence/..%2F..%2Fmasters%2F${subjectImageSha}`,
          {
            token: tablet.token,
            raw: other,
            headers: { 'content-type': 'application/octet-stream', 'x-evidence-producer': 'Mallory' },
          },
        ),
    });
    for (const o of overwrite) {
      await history.run({ op: randomUUID(), client: 'api:overwrite', kind: o.kind }, o.send, (r) => ({
        idempotentReupload: o.idempotent === true && r.status >= 200 && r.status < 300,
        code: (r.body as { code?: string } | undefined)?.code,
      }));
    }

    // 3. the state afterwards: master files and rows, derivatives with their parents
    const after = new Map(shas.map((s) => [s, fileState(s)]));
    const mastersAfter = await masterRows();
    const derivativeRows = async (owner: { query: (sql: string, p?: unknown[]) => Promise<any[]> }) =>
      (
        await owner.query(
          `SELECT d.sha256, d.parent_sha256,
                  EXISTS (SELECT 1 FROM evidence_masters m WHERE m.partnership_id = d.partnership_id AND m.sha256 = d.parent_sha256) AS parent_exists
             FROM evidence_derivatives d WHERE d.partnership_id = $1`,
          [p.partnershipId],
        )
      ).map((d: { sha256: string; parent_sha256: string | null; parent_exists: boolean }) => {
        const path = join(storage, 'derivatives', p.partnershipId, d.sha256.slice(0, 2), d.sha256);
        const f = fileState(d.sha256, path);
        return { ...d, file_ok: !!f && f.bytesSha === d.sha256 && d.sha256 !== d.parent_sha256 };
      });
    const derivatives = await derivativeRows(api.db.owner);
    const entries = readHistory(history.file);
    const counts = checkImmutability(entries, before, after, mastersBefore, mastersAfter, derivatives);

    // the retention path: hub_app may run the SECURITY DEFINER erase function, which removes a
    // master no other exhibit uses; reported (rolled back), not gated: it is the designed erase path
    const probe = new Client({ connectionString: api.db.config.db.url });
    await probe.connect();
    let retentionPathErasesFreshMaster = 0;
    try {
      const loneIncident = (await postIncident(api, tablet.token)).body.id as string;
      const lonely = buildJpeg({ seed: 4242, size: 5000 });
      await api.http.request('PUT', `/api/v1/incidents/${loneIncident}/evidence/${sha256(lonely)}`, {
        token: tablet.token,
        raw: lonely,
        headers: { 'content-type': 'application/octet-stream', 'x-evidence-producer': 'Jo%20Smith' },
      });
      await probe.query('BEGIN');
      await probe.query(`SELECT set_config('app.system', 'on', true)`);
      const [{ ok }] = (await probe.query(`SELECT retention_erase_incident($1) AS ok`, [loneIncident])).rows;
      const left = (
        await probe.query(`SELECT count(*)::int AS n FROM evidence_masters WHERE sha256 = $1`, [
          sha256(lonely),
        ])
      ).rows[0].n;
      retentionPathErasesFreshMaster = ok && left === 0 ? 1 : 0;
      await probe.query('ROLLBACK');
    } finally {
      await probe.end();
    }

    // negative control 1: the same SQL as the migration role succeeds (each rolled back)
    const owner = new Client({ connectionString: api.db.config.db.migrationUrl });
    await owner.connect();
    const ownerResults: Record<string, boolean> = {};
    const ownerErrors: string[] = [];
    try {
      for (const c of sqlCases.filter((x) => x.table !== '-')) {
        const r = await attempt(owner, 'owner', c.sql, c.effect);
        ownerResults[`${c.name} ${c.table}`] = r.succeeded;
        if (r.error) {
          ownerErrors.push(`${c.name} ${c.table}: ${r.error}`);
        }
      }
    } finally {
      await owner.end();
    }
    const ownerSucceeded = Object.values(ownerResults).filter(Boolean).length;
    const ownerRefused = Object.entries(ownerResults)
      .filter(([, ok]) => !ok)
      .map(([k]) => k);
    const controls: NegativeControl[] = [
      {
        variant: 'the same UPDATE/DELETE/TRUNCATE/upsert/DDL as the migration role (hub_owner), rolled back',
        counts: { statements: Object.keys(ownerResults).length, succeeded: ownerSucceeded },
        caught: ownerSucceeded === Object.keys(ownerResults).length,
      },
    ];
    // negative control 2: a derivative without its parent (owner insert, rolled back) is counted
    const orphanCount = await api.db.owner
      .transaction(async (em) => {
        await em.query(
          `INSERT INTO evidence_derivatives (partnership_id, parent_sha256, kind, sha256, size_bytes, media_type)
         VALUES ($1, $2, 'metadata_stripped', $3, 1, 'image/jpeg')`,
          [p.partnershipId, sha256('no such master'), sha256('orphan derivative')],
        );
        const broken = checkImmutability(
          entries,
          before,
          after,
          mastersBefore,
          mastersAfter,
          await derivativeRows({ query: (sql, params) => em.query(sql, params) }),
        );
        await em.query('SELECT 1');
        throw Object.assign(new Error('rollback'), { broken });
      })
      .catch((err: { broken?: ReturnType<typeof checkImmutability> }) => {
        if (!err.broken) {
          throw err;
        }
        return err.broken.derivativesWithoutParent;
      });
    controls.push({
      variant: 'a derivative row whose parent master does not exist (owner insert, rolled back)',
      counts: { derivativesWithoutParent: orphanCount },
      caught: orphanCount === counts.derivativesWithoutParent + 1,
    });
    // negative control 3: a master file changed behind the store's back is counted
    const tampered = new Map(after);
    const first = [...tampered.entries()][0];
    tampered.set(first[0], first[1] ? { ...first[1], bytesSha: sha256('tampered') } : null);
    const tamperedCounts = checkImmutability(
      entries,
      before,
      tampered,
      mastersBefore,
      mastersAfter,
      derivatives,
    );
    controls.push({
      variant: 'one master file with changed bytes (checker input)',
      counts: { masterFilesChanged: tamperedCounts.masterFilesChanged },
      caught: tamperedCounts.masterFilesChanged === counts.masterFilesChanged + 1,
    });

    const passed =
      counts.sqlSuccesses === 0 &&
      counts.sqlSilentNoops === 0 &&
      counts.apiSuccesses === 0 &&
      counts.apiServerErrors === 0 &&
      counts.masterFilesChanged === 0 &&
      counts.masterRowsChanged === 0 &&
      counts.masterRowsMissing === 0 &&
      counts.derivativesWithoutParent === 0 &&
      counts.derivativeFilesBad === 0 &&
      counts.derivatives > 0 &&
      controls.every((c) => c.caught);
    recordResult({
      id: ID,
      title:
        'Evidence masters are write-once: app-role SQL and every api route refused, derivatives name their parent',
      seed: SEED,
      counts: { ...counts, retentionPathErasesFreshMaster },
      passFigure: 'successes 0; every derivative has parent_sha256',
      passed,
      negativeControls: controls,
      config: {
        sqlContexts: ['tenant (app.partnership_id set)', 'system (app.system on)'],
        tables: TABLES,
        evidenceRoutes: evidencePaths,
        actors: tokens.map(([who]) => who),
      },
      historyFile: history.file,
      notes: [
        ...(ownerRefused.length
          ? [`owner statements that did not succeed: ${ownerRefused.join('; ')} (${ownerErrors.join('; ')})`]
          : []),
        retentionPathErasesFreshMaster
          ? 'FINDING: hub_app can call retention_erase_incident() (SECURITY DEFINER) on any incident that is not held or on a case, whatever its age, and so remove a master no other exhibit uses; the retention period is checked only by the job. Rolled back here; not counted in successes (it is the designed erase path).'
          : 'retention_erase_incident() did not remove a fresh master when called by hub_app',
      ],
      startedAt: started,
    });
    expect(controls.filter((c) => !c.caught)).toEqual([]);
    expect(counts).toMatchObject({
      sqlSuccesses: 0,
      sqlSilentNoops: 0,
      apiSuccesses: 0,
      apiServerErrors: 0,
      masterFilesChanged: 0,
      masterRowsChanged: 0,
      masterRowsMissing: 0,
      derivativesWithoutParent: 0,
      derivativeFilesBad: 0,
    });
    expect(counts.derivatives).toBeGreaterThan(0);
  });
});
