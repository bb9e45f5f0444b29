#!/usr/bin/env node
// npm run restore -- --from <backup dir>: brings a backup made by backup.mjs back into an EMPTY
// database, an empty storage folder and the signing key's path (DEVELOPMENT.md, "Backup and restore").
//
// Before: the cluster has the two roles (docker/init-roles.sql, or `npm run services:up`) and an
// empty database owned by the owner role. Reads DATABASE_MIGRATION_URL (the owner: pg_restore runs
// as it, so it owns every restored object), DATABASE_URL (the app role: the checks below run as it),
// STORAGE_DRIVER, STORAGE_DIR and EVIDENCE_SIGNING_KEY_PATH, from the environment or .env.
//
//   1. checks the backup against its manifest (the dump's and every object's SHA-256) before
//      touching anything, and that the target database is empty and the app role exists without
//      superuser or BYPASSRLS
//   2. pg_restore --single-transaction --exit-on-error --no-owner (grants to the app role, the
//      row-level security policies, functions and triggers come back with the tables), then ANALYZE
//   3. copies the objects into STORAGE_DIR (must be empty), keeping modes and retention dates, and
//      checks each copy's SHA-256; --database-only skips this (S3, or storage brought back apart)
//   4. writes the signing key to EVIDENCE_SIGNING_KEY_PATH (mode 0600; refuses to replace another
//      key); --without-signing-key skips it
//   5. proves the result as the app role: each partnership's access-log chain verifies (the api's
//      own query) and still holds the head recorded in the backup's snapshot; with no partnership
//      set the app role sees no rows; every tenant table has row-level security and its policy;
//      every master, viewing copy and ready pack the database names is in the storage (local)
// Exits 1 when a check fails. Redis is not restored: it holds only transport (see DEVELOPMENT.md).
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { copyObject, hubSettings, keyFingerprint, run, sha256File, storageKeys } from './backup.mjs';
import { pgBinDir } from './services.mjs';

const say = (msg) => process.stderr.write(`[restore] ${msg}\n`);

function args(argv) {
  const out = { databaseOnly: false, withoutSigningKey: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--from') out.dir = argv[++i];
    else if (argv[i] === '--database-only') out.databaseOnly = true;
    else if (argv[i] === '--without-signing-key') out.withoutSigningKey = true;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!out.dir) {
    throw new Error('usage: restore.mjs --from <backup folder> [--database-only] [--without-signing-key]');
  }
  return out;
}

/** The api's chain check (AccessLogRepository.verify), as the app role with the tenant set. */
const VERIFY_CHAIN = `WITH chain AS (
    SELECT seq, hash, prev_hash, access_log_entry_hash(a) AS expected,
           lag(hash, 1, '') OVER (ORDER BY seq) AS previous
      FROM access_log a WHERE partnership_id = $1)
  SELECT count(*)::int AS entries,
         min(seq) FILTER (WHERE hash <> expected OR prev_hash <> previous)::text AS broken_at
    FROM chain`;

async function withClient(url, work) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

async function main() {
  const opts = args(process.argv.slice(2));
  const s = hubSettings();
  if (!s.ownerUrl || !s.appUrl) throw new Error('DATABASE_MIGRATION_URL and DATABASE_URL must both be set');
  const bin = pgBinDir();
  if (!bin) throw new Error('PostgreSQL client binaries (pg_restore) not found');
  const from = isAbsolute(opts.dir) ? opts.dir : resolve(opts.dir);
  const manifest = JSON.parse(readFileSync(join(from, 'manifest.json'), 'utf8'));
  if (manifest.format !== 1) throw new Error(`unknown backup format ${manifest.format}`);
  const problems = [];
  const warnings = [];

  // 1. the backup is whole, the target empty, the app role as the hub needs it
  const dump = join(from, manifest.database.file);
  if ((await sha256File(dump)) !== manifest.database.sha256) {
    throw new Error(`${dump} does not match its SHA-256 in the manifest`);
  }
  const restoreStorage = !opts.databaseOnly && manifest.storage.copied;
  if (restoreStorage) {
    if (s.storageDriver !== 'local') {
      throw new Error(
        'the backup holds local storage but STORAGE_DRIVER is not local: copy storage/ to the bucket (aws s3 sync) and restore with --database-only',
      );
    }
    for (const o of manifest.storage.objects) {
      if ((await sha256File(join(from, 'storage', o.key))) !== o.sha256) {
        throw new Error(`storage/${o.key} in the backup does not match its SHA-256`);
      }
    }
    const present = storageKeys(s.storageDir);
    if (present.length) throw new Error(`${s.storageDir} already holds ${present.length} objects`);
  }
  const keyFile =
    manifest.signingKey?.file && !opts.withoutSigningKey ? join(from, manifest.signingKey.file) : null;
  const pem = keyFile ? readFileSync(keyFile, 'utf8') : null;
  if (pem && keyFingerprint(pem) !== manifest.signingKey.fingerprint) {
    throw new Error(`${keyFile} is not the key the manifest names`);
  }
  if (
    pem &&
    existsSync(s.keyPath) &&
    keyFingerprint(readFileSync(s.keyPath, 'utf8')) !== manifest.signingKey.fingerprint
  ) {
    throw new Error(
      `${s.keyPath} holds another key; move it away first (packs it signed still verify by fingerprint)`,
    );
  }
  const appRole = decodeURIComponent(new URL(s.appUrl).username);
  await withClient(s.ownerUrl, async (db) => {
    const [{ n }] = (
      await db.query(
        `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
          WHERE ns.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')`,
      )
    ).rows;
    if (n > 0) throw new Error(`the target database is not empty (${n} relations in public)`);
    const role = (await db.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1`, [appRole]))
      .rows[0];
    if (!role)
      throw new Error(`role ${appRole} does not exist: create the roles first (docker/init-roles.sql)`);
    if (role.rolsuper || role.rolbypassrls) {
      throw new Error(`role ${appRole} is a superuser or has BYPASSRLS: row-level security would not apply`);
    }
  });

  // 2. the database
  say(`pg_restore ${dump} (migration ${manifest.database.migration})`);
  await run(join(bin, 'pg_restore'), [
    '--single-transaction',
    '--exit-on-error',
    '--no-owner',
    '--no-password',
    `--dbname=${s.ownerUrl}`,
    dump,
  ]);
  await withClient(s.ownerUrl, (db) => db.query('ANALYZE'));

  // 3. the storage
  if (restoreStorage) {
    for (const o of manifest.storage.objects) {
      const to = join(s.storageDir, o.key);
      copyObject(join(from, 'storage', o.key), to);
      if ((await sha256File(to)) !== o.sha256) problems.push(`storage ${o.key}: copy does not match`);
    }
    say(`storage: ${manifest.storage.objects.length} objects into ${s.storageDir}`);
  } else {
    say(
      `storage not restored (${opts.databaseOnly ? '--database-only' : `${manifest.storage.driver}, not in the backup`})`,
    );
  }

  // 4. the signing key
  if (pem) {
    mkdirSync(dirname(s.keyPath), { recursive: true, mode: 0o700 });
    writeFileSync(s.keyPath, pem, { mode: 0o600 });
    chmodSync(s.keyPath, 0o600);
    say(`signing key ${manifest.signingKey.fingerprint} -> ${s.keyPath}`);
  } else {
    say(
      `signing key not restored: the next pack is signed by a new key (a new fingerprint is published); packs already built still verify against ${manifest.database.packSigningFingerprints.join(', ') || 'their published fingerprints'}`,
    );
  }

  // 5. proof, as the app role
  await withClient(s.appUrl, async (app) => {
    for (const head of manifest.database.accessLogHeads) {
      await app.query('BEGIN');
      try {
        await app.query(`SELECT set_config('app.partnership_id', $1, true)`, [head.partnershipId]);
        const [v] = (await app.query(VERIFY_CHAIN, [head.partnershipId])).rows;
        const at = (
          await app.query(`SELECT hash FROM access_log WHERE partnership_id = $1 AND seq = $2`, [
            head.partnershipId,
            head.seq,
          ])
        ).rows[0];
        if (v.broken_at)
          problems.push(`access log of ${head.partnershipId}: chain broken at seq ${v.broken_at}`);
        if (at?.hash !== head.hash) {
          problems.push(`access log of ${head.partnershipId}: entry ${head.seq} is not the one backed up`);
        }
      } finally {
        await app.query('ROLLBACK');
      }
    }
    const [{ n }] = (await app.query('SELECT count(*)::int AS n FROM partnerships')).rows;
    if (n !== 0)
      problems.push(`the app role sees ${n} partnerships with no partnership set (RLS not applied)`);
  });
  await withClient(s.ownerUrl, async (db) => {
    const unguarded = (
      await db.query(
        `SELECT c.relname FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
          WHERE ns.nspname = 'public' AND c.relkind IN ('r', 'p')
            AND (c.relname = 'partnerships' OR EXISTS (SELECT 1 FROM pg_attribute a
                 WHERE a.attrelid = c.oid AND a.attname = 'partnership_id' AND NOT a.attisdropped))
            AND (NOT c.relrowsecurity OR NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))`,
      )
    ).rows.map((r) => r.relname);
    if (unguarded.length) problems.push(`tenant tables without row-level security: ${unguarded.join(', ')}`);
    if (s.storageDriver === 'local') {
      const wanted = [
        ...(
          await db.query(
            `SELECT partnership_id AS p, sha256, size_bytes::text AS bytes FROM evidence_masters`,
          )
        ).rows.map((r) => ({ key: `masters/${r.p}/${r.sha256.slice(0, 2)}/${r.sha256}`, bytes: r.bytes })),
        ...(
          await db.query(
            `SELECT partnership_id AS p, sha256, size_bytes::text AS bytes FROM evidence_derivatives`,
          )
        ).rows.map((r) => ({
          key: `derivatives/${r.p}/${r.sha256.slice(0, 2)}/${r.sha256}`,
          bytes: r.bytes,
        })),
        ...(
          await db.query(
            `SELECT storage_path AS key, size_bytes::text AS bytes FROM evidence_packs
              WHERE status = 'ready' AND storage_path IS NOT NULL`,
          )
        ).rows,
      ];
      const missing = wanted.filter((o) => {
        const path = join(s.storageDir, o.key);
        return !existsSync(path) || (o.bytes !== null && String(statSync(path).size) !== o.bytes);
      });
      if (missing.length) {
        const msg = `${missing.length} of ${wanted.length} objects the database names are missing or the wrong size in ${s.storageDir} (first: ${missing[0].key})`;
        if (restoreStorage) problems.push(msg);
        else warnings.push(`${msg}: bring the storage back before starting the hub`);
      }
    }
    const stuck = (
      await db.query(`SELECT count(*)::int AS n FROM evidence_packs WHERE status IN ('queued', 'building')`)
    ).rows[0].n;
    if (stuck) {
      warnings.push(
        `${stuck} packs were queued or building at the backup; their jobs were in Redis: request them again`,
      );
    }
  });

  for (const w of warnings) say(`WARNING: ${w}`);
  if (problems.length) {
    for (const p of problems) say(`FAILED: ${p}`);
    process.exit(1);
  }
  say(
    `done: ${manifest.database.accessLogHeads.length} access-log chains verified as ${appRole}, row-level security on, from the backup of ${manifest.startedAt}`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    say(`FAILED: ${err.message}`);
    process.exit(1);
  });
}
