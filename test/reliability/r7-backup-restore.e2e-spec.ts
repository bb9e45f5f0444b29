import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '@app/config';
import {
  buildIncidentRequest,
  buildJpeg,
  eventually,
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  HttpClient,
  postIncident,
  type TestApi,
} from '@app/testing';
import { AppChild, childEnv } from '../lib/compiled-apps';
import { OwnPostgres } from '../lib/own-postgres';
import { deriveSeed, type NegativeControl, recordResult, runDir, SPEC_TIMEOUT_MS } from '../lib/programme';
import { probeTable, tenantTables } from '../lib/rls-probe';
import { migrateOwn, ownConfig } from '../lib/stack';

/**
 * R7 backup and restore (issue #20; DEVELOPMENT.md "Backup and restore"): a hub on a cluster of the
 * test's own, with its own storage folder and signing key, gets two partnerships, reports, a photo,
 * a police case and a built, downloaded and verified evidence pack through the real api and worker.
 * `scripts/backup.mjs` backs it up while it runs; the source cluster, storage and key are then
 * destroyed. `scripts/restore.mjs` brings the backup into a FRESH cluster (initdb, roles only),
 * an empty storage folder and a new key path, and the api and worker start on the result. The
 * checker, run against the restored hub: (a) each partnership's access-log chain verifies through
 * the api and still holds the head read before the backup; (b) the pack downloaded from the restored
 * hub has the recorded SHA-256 and passes the pack's own verify.mjs pinned to the fingerprint the
 * restored hub publishes, which is the source's; (c) the photo's master is in the restored storage
 * with its SHA-256, the pack carries it, and its viewing copy is served; (d) as the app role, with
 * one partnership set, no tenant table shows another's rows (and none without a partnership), and
 * the api answers 404 across partnerships; and a pack built after the restore is signed by the
 * restored key; restored without the key (`--without-signing-key`), the old pack still verifies and
 * the next pack is signed by a new key, published beside the old one. Negative control: the same checker on a restore made with `--database-only` (the
 * procedure without its storage copy) must count the pack and the master as failed.
 */
// two clusters, five app processes and two pack builds: longer than the quick default allows
jest.setTimeout(Math.max(SPEC_TIMEOUT_MS, 300_000));
const ID = 'R7';
const SEED = deriveSeed(ID);
const ROOT = resolve(__dirname, '../..');
const LOG_DIR = join(runDir(), 'logs', ID);
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** A hub: a cluster, its storage folder and key path, the api (and worker) as their own processes. */
class Hub {
  readonly apps: AppChild[] = [];
  owner?: DataSource;

  constructor(
    readonly name: string,
    readonly pg: OwnPostgres,
    readonly config: AppConfig,
    readonly storageDir: string,
    readonly keyPath: string,
  ) {}

  static async on(name: string, pg: OwnPostgres, work: string, db = 'hub'): Promise<Hub> {
    const storageDir = join(work, `${name}-storage`);
    const keyPath = join(work, `${name}-key`, 'evidence-signing.pem');
    const config = ownConfig(pg, {
      DATABASE_URL: pg.url('hub_app', db),
      DATABASE_MIGRATION_URL: pg.url('hub_owner', db),
      STORAGE_DIR: storageDir,
      EVIDENCE_SIGNING_KEY_PATH: keyPath,
    });
    return new Hub(name, pg, config, storageDir, keyPath);
  }

  /** What the backup and restore scripts read, as an operator's .env would give it. */
  scriptEnv(): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'test',
      DATABASE_URL: this.config.db.url,
      DATABASE_MIGRATION_URL: this.config.db.migrationUrl,
      STORAGE_DRIVER: 'local',
      STORAGE_DIR: this.storageDir,
      EVIDENCE_SIGNING_KEY_PATH: this.keyPath,
    };
  }

  async start(withWorker: boolean): Promise<void> {
    const env = childEnv(this.config, { EVIDENCE_SIGNING_KEY_PATH: this.keyPath, LOG_LEVEL: 'error' });
    this.apps.push(await AppChild.start('api', `${this.name}-api`, env, LOG_DIR));
    if (withWorker) {
      this.apps.push(await AppChild.start('worker', `${this.name}-worker`, env, LOG_DIR));
    }
  }

  get http(): HttpClient {
    return new HttpClient(this.apps[0].url);
  }

  /** Shaped like startTestApi()'s TestApi, for the factories (givenPartnership, givenTablet). */
  testApi(owner: DataSource): TestApi {
    return {
      db: { name: this.name, config: this.config, owner, drop: async () => undefined },
      http: this.http,
    } as unknown as TestApi;
  }

  async ownerQuery<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
    const c = new Client({ connectionString: this.config.db.migrationUrl });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows as T[];
    } finally {
      await c.end();
    }
  }

  async stopApps(): Promise<void> {
    for (const a of this.apps.splice(0).reverse()) {
      await a.stop();
    }
    await this.owner?.destroy().catch(() => undefined);
    this.owner = undefined;
  }
}

/** Runs one of the project's scripts as an operator would; answers its exit and output. */
function script(name: 'backup' | 'restore', args: string[], env: Record<string, string>) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', `${name}.mjs`), ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  mkdirSync(LOG_DIR, { recursive: true });
  writeFileSync(join(LOG_DIR, `${name}-${t0}.log`), `${r.stdout}\n${r.stderr}`);
  return { status: r.status, output: `${r.stdout}${r.stderr}`, ms: Date.now() - t0 };
}

/** What the source hub held when it was backed up: the checker's expectations. */
interface Facts {
  partnerships: GivenPartnership[];
  /** each partnership's access-log chain head read just before the backup */
  heads: { partnershipId: string; seq: string; hash: string }[];
  photo: { sha: string; exhibitId: string; incidentId: string; viewSha: string };
  pack: { id: string; sha256: string; fingerprint: string; caseId: string };
  /** a report of the first partnership, for the cross-partnership probe */
  incidentId: string;
  /** the app role's privileges, the policies and the RLS switches, as catalog lines */
  security: string[];
}

/**
 * What row-level security rests on, one line each: every table privilege and function EXECUTE the
 * app role holds, every policy with its expressions, every table with RLS on. Read as the owner.
 */
async function securityCatalog(hub: Hub): Promise<string[]> {
  const rows = await hub.ownerQuery<{ line: string }>(
    `SELECT 'grant ' || c.relname || ' ' || p.priv AS line
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS p(priv)
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'S')
        AND has_table_privilege('hub_app', c.oid, p.priv)
     UNION ALL
     SELECT 'execute ' || f.oid::regprocedure::text FROM pg_proc f JOIN pg_namespace n ON n.oid = f.pronamespace
      WHERE n.nspname = 'public' AND has_function_privilege('hub_app', f.oid, 'EXECUTE')
     UNION ALL
     SELECT 'policy ' || tablename || ' ' || policyname || ' ' || cmd || ' ' || coalesce(qual, '') || ' ' ||
            coalesce(with_check, '') FROM pg_policies WHERE schemaname = 'public'
     UNION ALL
     SELECT 'rls ' || c.relname || ' ' || c.relforcerowsecurity FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relrowsecurity
     UNION ALL
     SELECT 'role ' || rolname || ' super=' || rolsuper || ' bypassrls=' || rolbypassrls
       FROM pg_roles WHERE rolname = 'hub_app'`,
  );
  return rows.map((r) => r.line).sort();
}

async function downloadPack(http: HttpClient, token: string, packId: string) {
  const res = await fetch(`${http.baseUrl}/api/v1/packs/${packId}/download`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ recipient: 'CPS Direct, reviewing lawyer', purpose: 'restore check' }),
  });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

/** Unzips a pack and runs its own verify.mjs pinned to `fingerprint`; answers the exhibit hashes. */
function verifyPack(zip: Buffer, fingerprint: string, work: string) {
  const dir = mkdtempSync(join(work, 'pack-'));
  writeFileSync(join(dir, 'pack.zip'), zip);
  execFileSync('unzip', ['-q', join(dir, 'pack.zip'), '-d', join(dir, 'x')]);
  const v = spawnSync(process.execPath, ['verify.mjs', '.', '--fingerprint', fingerprint], {
    cwd: join(dir, 'x'),
    encoding: 'utf8',
  });
  const exhibitsDir = join(dir, 'x', 'exhibits');
  const exhibits = existsSync(exhibitsDir)
    ? readdirSync(exhibitsDir).map((f) => sha256(readFileSync(join(exhibitsDir, f))))
    : [];
  return { ok: v.status === 0, output: `${v.stdout}${v.stderr}`.slice(-400), exhibits };
}

async function viewCopy(http: HttpClient, token: string, incidentId: string, exhibitId: string) {
  const res = await fetch(`${http.baseUrl}/api/v1/incidents/${incidentId}/evidence/${exhibitId}/view`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, sha: res.status === 200 ? sha256(body) : null };
}

/**
 * The checker: reads the restored hub through its api, its storage folder and its database as the
 * app role, against the facts recorded from the source. Counts failures; all zero is a pass.
 */
async function checkRestored(hub: Hub, facts: Facts, work: string) {
  const http = hub.http;
  const [p, other] = facts.partnerships;
  const notes: string[] = [];

  // (a) the access-log chains
  let chainsInvalid = 0;
  let chainHeadsChanged = 0;
  for (const g of facts.partnerships) {
    const v = await http.get('/api/v1/access-log/verify', g.tokens.coordinator);
    if (v.status !== 200 || v.body.valid !== true) {
      chainsInvalid += 1;
      notes.push(`verify ${g.partnershipId}: ${v.status} ${v.text.slice(0, 200)}`);
    }
  }
  for (const h of facts.heads) {
    const rows = await hub.ownerQuery<{ hash: string }>(
      `SELECT hash FROM access_log WHERE partnership_id = $1 AND seq = $2`,
      [h.partnershipId, h.seq],
    );
    if (rows[0]?.hash !== h.hash) {
      chainHeadsChanged += 1;
    }
  }

  // (b) the pack, downloaded from the restored hub and verified against its published key
  const published = await http.get('/.well-known/evidence-signing-keys');
  const fingerprints = ((published.body?.keys ?? []) as { fingerprint: string }[]).map((k) => k.fingerprint);
  const download = await downloadPack(http, p.tokens.police, facts.pack.id);
  const verified =
    download.status === 200
      ? verifyPack(download.body, fingerprints.at(-1) ?? '', work)
      : { ok: false, output: '', exhibits: [] as string[] };
  if (download.status !== 200) {
    notes.push(`pack download: ${download.status} ${download.body.toString('utf8').slice(0, 200)}`);
  } else if (!verified.ok) {
    notes.push(`verify.mjs: ${verified.output}`);
  }

  // (c) the photo's master in the storage, in the pack, and its viewing copy through the api
  const masterPath = join(
    hub.storageDir,
    'masters',
    p.partnershipId,
    facts.photo.sha.slice(0, 2),
    facts.photo.sha,
  );
  const masterSha = existsSync(masterPath) ? sha256(readFileSync(masterPath)) : null;
  const view = await viewCopy(http, p.tokens.coordinator, facts.photo.incidentId, facts.photo.exhibitId);

  // (d) row-level security as the app role, and the api across partnerships
  const app = new Client({ connectionString: hub.config.db.url });
  await app.connect();
  const probes = [];
  try {
    for (const table of await tenantTables((sql, params) => hub.ownerQuery(sql, params))) {
      probes.push(
        await probeTable((sql, params) => hub.ownerQuery(sql, params), app, table, p.partnershipId),
      );
    }
  } finally {
    await app.end();
  }
  const security = await securityCatalog(hub);
  const securityDiffers =
    security.filter((l) => !facts.security.includes(l)).length +
    facts.security.filter((l) => !security.includes(l)).length;
  const cross = await http.get(`/api/v1/incidents/${facts.incidentId}`, other.tokens.coordinator);
  const own = await http.get(`/api/v1/incidents/${facts.incidentId}`, p.tokens.coordinator);

  return {
    counts: {
      chainsInvalid,
      chainHeadsChanged,
      packDownloadFailed: download.status === 200 ? 0 : 1,
      packShaMismatch: download.status === 200 && sha256(download.body) !== facts.pack.sha256 ? 1 : 0,
      packVerifyFailed: verified.ok ? 0 : 1,
      sourceKeyNotPublished: fingerprints.includes(facts.pack.fingerprint) ? 0 : 1,
      masterMissing: masterSha === null ? 1 : 0,
      masterHashMismatch: masterSha !== null && masterSha !== facts.photo.sha ? 1 : 0,
      masterNotInPack: verified.exhibits.includes(facts.photo.sha) ? 0 : 1,
      viewingCopyFailed: view.status === 200 && view.sha === facts.photo.viewSha ? 0 : 1,
      tenantTablesProbed: probes.length,
      tenantTablesUnreadable: probes.filter((x) => !x.readable).length,
      securityCatalogLines: security.length,
      securityCatalogDiffers: securityDiffers,
      foreignRows: probes.reduce((n, x) => n + x.foreignRows, 0),
      rowsLeaked: probes.reduce((n, x) => n + x.leaked, 0),
      rowsVisibleWithoutTenant: probes.reduce((n, x) => n + x.visibleWithoutTenant, 0),
      crossPartnershipReads: cross.status === 404 ? 0 : 1,
      ownReadFailed: own.status === 200 ? 0 : 1,
    },
    notes,
  };
}

type Counts = Awaited<ReturnType<typeof checkRestored>>['counts'];

/** Counts that describe rather than fail (an unreadable tenant table is the design, e.g. the log's pending rows). */
const INFORMATIONAL = ['tenantTablesProbed', 'tenantTablesUnreadable', 'foreignRows', 'securityCatalogLines'];

/** The failures among the counts (names of non-zero failure counts, and a probe that saw nothing). */
function failures(c: Counts): string[] {
  const bad = Object.entries(c)
    .filter(([k, v]) => !INFORMATIONAL.includes(k) && v !== 0)
    .map(([k]) => k);
  if (c.foreignRows === 0 || c.tenantTablesProbed === 0) {
    bad.push('rlsProbeSawNoForeignRows');
  }
  return bad;
}

describe('R7 backup and restore into a fresh cluster and storage', () => {
  const started = new Date().toISOString();
  const hubs: Hub[] = [];
  const clusters: OwnPostgres[] = [];
  let work: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'hub-r7-'));
  });
  afterAll(async () => {
    for (const h of hubs) {
      await h.stopApps().catch(() => undefined);
    }
    for (const pg of clusters) {
      pg.destroy();
    }
    if (work) {
      rmSync(work, { recursive: true, force: true });
    }
  });

  async function cluster(): Promise<OwnPostgres> {
    const pg = await OwnPostgres.start();
    clusters.push(pg);
    return pg;
  }

  it('restores a hub whose access log, pack, evidence and row-level security all still hold', async () => {
    // --- the source hub, used through the real api and worker
    const sourcePg = await cluster();
    const source = await Hub.on('r7-source', sourcePg, work);
    hubs.push(source);
    source.owner = await migrateOwn(source.config);
    await source.start(true);
    const api = source.testApi(source.owner);
    const p = await givenPartnership(api);
    const other = await givenPartnership(api);
    const tablet = await givenTablet(api, p);
    const incidentId = (await postIncident(api, tablet.token, buildIncidentRequest())).body.id as string;
    expect((await postIncident(api, tablet.token)).status).toBe(201);
    expect((await postIncident(api, other.tokens.shopworker)).status).toBe(201);
    const photo = buildJpeg({ seed: SEED % 10_000, size: 30_000 });
    const up = await api.http.request('PUT', `/api/v1/incidents/${incidentId}/evidence/${sha256(photo)}`, {
      token: tablet.token,
      raw: photo,
      headers: { 'content-type': 'application/octet-stream', 'x-evidence-producer': 'Jo%20Smith' },
    });
    expect(up.status).toBe(201);
    const exhibitId = up.body.id as string;
    const sourceView = await viewCopy(api.http, p.tokens.coordinator, incidentId, exhibitId);
    expect(sourceView.status).toBe(200);
    const opened = await api.http.post(
      '/api/v1/cases',
      { incidentId, reason: 'theft with a photo' },
      p.tokens.police,
    );
    expect(opened.status).toBe(201);
    const caseId = opened.body.id as string;
    const queued = await api.http.post(`/api/v1/cases/${caseId}/packs`, {}, p.tokens.police);
    expect(queued.status).toBe(202);
    const pack = await eventually(async () => {
      const r = await api.http.get(`/api/v1/packs/${queued.body.id}`, p.tokens.police);
      expect({ status: r.body.status, error: r.body.error }).toEqual({ status: 'ready', error: null });
      return r.body as { id: string; sha256: string; keyFingerprint: string };
    }, 90_000);
    // the checker's baseline: the same pack verifies on the source before any backup
    const sourceDownload = await downloadPack(api.http, p.tokens.police, pack.id);
    expect(sourceDownload.status).toBe(200);
    expect(verifyPack(sourceDownload.body, pack.keyFingerprint, work).ok).toBe(true);

    // --- the backup, taken while the hub runs
    const heads = await source.ownerQuery<Facts['heads'][number]>(
      `SELECT DISTINCT ON (partnership_id) partnership_id AS "partnershipId", seq::text AS seq, hash
         FROM access_log ORDER BY partnership_id, seq DESC`,
    );
    expect(heads.map((h) => h.partnershipId).sort()).toEqual([p.partnershipId, other.partnershipId].sort());
    const security = await securityCatalog(source);
    expect(security.filter((l) => l.startsWith('policy ')).length).toBeGreaterThan(0);
    const backupDir = join(work, 'backup');
    const backup = script('backup', ['--out', backupDir], source.scriptEnv());
    expect(backup.status === 0 ? 'exit 0' : backup.output).toBe('exit 0');
    const manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8'));
    const facts: Facts = {
      partnerships: [p, other],
      heads,
      photo: { sha: sha256(photo), exhibitId, incidentId, viewSha: sourceView.sha! },
      pack: { id: pack.id, sha256: pack.sha256, fingerprint: pack.keyFingerprint, caseId },
      incidentId,
      security,
    };

    // --- the source is gone: its processes, cluster, storage and key
    await source.stopApps();
    sourcePg.destroy();
    clusters.splice(clusters.indexOf(sourcePg), 1);
    rmSync(source.storageDir, { recursive: true, force: true });
    rmSync(join(source.keyPath, '..'), { recursive: true, force: true });

    // --- the restore into a fresh cluster (initdb and the two roles only), storage and key path
    const restoredPg = await cluster();
    const restored = await Hub.on('r7-restored', restoredPg, work);
    hubs.push(restored);
    const restore = script('restore', ['--from', backupDir], restored.scriptEnv());
    expect(restore.status === 0 ? 'exit 0' : restore.output).toBe('exit 0');
    // the procedure refuses to restore over a database that is not empty
    const again = script('restore', ['--from', backupDir], {
      ...restored.scriptEnv(),
      STORAGE_DIR: join(work, 'unused-storage'),
    });
    const t0 = Date.now();
    await restored.start(true);
    const restoredStartMs = Date.now() - t0;
    const { counts, notes } = await checkRestored(restored, facts, work);

    // a pack built after the restore is signed by the restored key
    const rebuilt = await restored.http.post(`/api/v1/cases/${caseId}/packs`, {}, p.tokens.police);
    const newPack = await eventually(async () => {
      const r = await restored.http.get(`/api/v1/packs/${rebuilt.body.id}`, p.tokens.police);
      expect({ status: r.body.status, error: r.body.error }).toEqual({ status: 'ready', error: null });
      return r.body as { keyFingerprint: string };
    }, 90_000);
    const figures = {
      ...counts,
      newPackSignedByAnotherKey: newPack.keyFingerprint === pack.keyFingerprint ? 0 : 1,
      restoreOverNonEmptyAccepted: again.status === 0 ? 1 : 0,
      backupObjects: manifest.storage.objects.length as number,
      backupMs: backup.ms,
      restoreMs: restore.ms,
      restoredAppsStartMs: restoredStartMs,
    };
    await restored.stopApps();

    // --- the key lost: the same backup restored without it (--without-signing-key). Packs built
    // before still verify against the fingerprint the database publishes; the next pack is signed
    // by a new key, published beside the old one (DEVELOPMENT.md, "The signing key")
    await restoredPg.query(`CREATE DATABASE hub_nokey OWNER hub_owner`);
    const keyless = await Hub.on('r7-keyless', restoredPg, work, 'hub_nokey');
    hubs.push(keyless);
    const keylessRestore = script(
      'restore',
      ['--from', backupDir, '--without-signing-key'],
      keyless.scriptEnv(),
    );
    expect(keylessRestore.status === 0 ? 'exit 0' : keylessRestore.output).toBe('exit 0');
    await keyless.start(true);
    const keylessCheck = await checkRestored(keyless, facts, work);
    const keylessRebuilt = await keyless.http.post(`/api/v1/cases/${caseId}/packs`, {}, p.tokens.police);
    const keylessPack = await eventually(async () => {
      const r = await keyless.http.get(`/api/v1/packs/${keylessRebuilt.body.id}`, p.tokens.police);
      expect({ status: r.body.status, error: r.body.error }).toEqual({ status: 'ready', error: null });
      return r.body as { keyFingerprint: string };
    }, 90_000);
    const keylessPublished = (
      (await keyless.http.get('/.well-known/evidence-signing-keys')).body.keys as {
        fingerprint: string;
        current: boolean;
      }[]
    ).map((k) => `${k.fingerprint}${k.current ? ' current' : ''}`);
    await keyless.stopApps();
    const keyLoss = {
      keylessOldPackFailures: failures(keylessCheck.counts).length,
      keylessNewPackSameKey: keylessPack.keyFingerprint === pack.keyFingerprint ? 1 : 0,
      keylessPublishedWrong:
        keylessPublished.join(',') === `${pack.keyFingerprint},${keylessPack.keyFingerprint} current` ? 0 : 1,
    };

    // --- negative control: the procedure without its storage copy (restore --database-only), into
    // a fresh database and an empty storage folder; the same checker must count the evidence lost
    await restoredPg.query(`CREATE DATABASE hub_control OWNER hub_owner`);
    const control = await Hub.on('r7-control', restoredPg, work, 'hub_control');
    hubs.push(control);
    const controlRestore = script('restore', ['--from', backupDir, '--database-only'], control.scriptEnv());
    expect(controlRestore.status === 0 ? 'exit 0' : controlRestore.output).toBe('exit 0');
    await control.start(false);
    const controlCheck = await checkRestored(control, facts, work);
    await control.stopApps();
    const controlFailures = failures(controlCheck.counts);
    const controls: NegativeControl[] = [
      {
        variant: 'restore.mjs --database-only: the database restored, the storage copy left out',
        counts: {
          packDownloadFailed: controlCheck.counts.packDownloadFailed,
          packVerifyFailed: controlCheck.counts.packVerifyFailed,
          masterMissing: controlCheck.counts.masterMissing,
          viewingCopyFailed: controlCheck.counts.viewingCopyFailed,
          restoreWarnedMissingObjects: /objects the database names are missing/.test(controlRestore.output)
            ? 1
            : 0,
        },
        caught:
          controlCheck.counts.packVerifyFailed > 0 &&
          controlCheck.counts.masterMissing > 0 &&
          // the database half still restored: the failures are the storage's alone
          controlCheck.counts.chainsInvalid + controlCheck.counts.rowsLeaked === 0,
      },
    ];

    const failed = [
      ...failures(counts),
      ...(figures.newPackSignedByAnotherKey ? ['newPackSignedByAnotherKey'] : []),
      ...(figures.restoreOverNonEmptyAccepted ? ['restoreOverNonEmptyAccepted'] : []),
      ...Object.entries(keyLoss)
        .filter(([, v]) => v !== 0)
        .map(([k]) => k),
    ];
    const passed = failed.length === 0 && controls.every((c) => c.caught);
    recordResult({
      id: ID,
      title:
        'Backup (scripts/backup.mjs) restored into a fresh cluster and storage (scripts/restore.mjs): access-log chains, a pack, evidence and RLS hold',
      seed: SEED,
      counts: { ...figures, ...keyLoss },
      passFigure:
        'every failure count 0: chains valid with their heads, pack verifies against the published source key, master and viewing copy intact, RLS leaks 0; control caught',
      passed,
      negativeControls: controls,
      config: {
        backup: 'pg_dump --format=custom in one exported snapshot, storage copy, signing key',
        restore: 'fresh initdb cluster with hub_owner/hub_app, pg_restore --single-transaction --no-owner',
        partnerships: 2,
        tenantTablesProbed: counts.tenantTablesProbed,
      },
      notes: [
        ...notes,
        ...(failed.length ? [`failed: ${failed.join(', ')}`] : []),
        ...keylessCheck.notes.map((n) => `restored without the key: ${n}`),
        `control failures: ${controlFailures.join(', ') || 'none'}`,
        ...controlCheck.notes.map((n) => `control: ${n}`),
        `logs: ${LOG_DIR}`,
      ],
      startedAt: started,
    });
    expect(controls.filter((c) => !c.caught)).toEqual([]);
    expect({ failed, notes }).toEqual({ failed: [], notes: [] });
  });
});
