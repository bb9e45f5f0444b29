#!/usr/bin/env node
// npm run backup -- --out <dir>: one consistent backup of a hub (DEVELOPMENT.md, "Backup and restore").
//
//   database.dump   pg_dump --format=custom of the whole database, taken as the owner role in one
//                   snapshot (every table, row-level security policies, grants to the app role,
//                   functions, triggers, the migrations table); roles themselves are not in it
//   storage/        the local driver's STORAGE_DIR (masters, viewing copies, packs, reports),
//                   modes and modification times kept (a master's mtime is its retention date);
//                   never tmp/. Not copied with STORAGE_DRIVER=s3: the bucket is protected by
//                   versioning, replication and Object Lock instead
//   signing-key.pem the Ed25519 evidence-signing key (EVIDENCE_SIGNING_KEY_PATH), mode 0600, unless
//                   --no-signing-key (then keep the key's own copy, and only its fingerprint is here)
//   manifest.json   what was taken: the dump's and every object's SHA-256, the key's fingerprint,
//                   and, read in the dump's own snapshot, each partnership's access-log chain head
//                   and the migration level, so restore.mjs can prove the copy whole
//
// Reads DATABASE_MIGRATION_URL, STORAGE_DRIVER, STORAGE_DIR and EVIDENCE_SIGNING_KEY_PATH (from .env
// as the apps do, unless NODE_ENV=test). The database is dumped first and the storage copied after,
// so every object a row names is in the copy (objects are written before their rows, and only
// retention and pack expiry delete them).
import { spawn } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { pgBinDir } from './services.mjs';

const say = (msg) => process.stderr.write(`[backup] ${msg}\n`);

/** The settings the apps use: the environment, with .env loaded as libs/config does outside tests. */
export function hubSettings() {
  if (process.env.NODE_ENV !== 'test' && existsSync('.env')) {
    process.loadEnvFile('.env');
  }
  return {
    ownerUrl: process.env.DATABASE_MIGRATION_URL,
    appUrl: process.env.DATABASE_URL,
    storageDriver: process.env.STORAGE_DRIVER ?? 'local',
    storageDir: resolve(process.env.STORAGE_DIR ?? '.data/storage'),
    keyPath: resolve(process.env.EVIDENCE_SIGNING_KEY_PATH ?? '.data/keys/evidence-signing.pem'),
  };
}

export function sha256File(path) {
  return new Promise((done, fail) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => hash.update(c))
      .on('error', fail)
      .on('end', () => done(hash.digest('hex')));
  });
}

/** SHA-256 of the DER SubjectPublicKeyInfo, as libs/evidence/src/signing.ts and verify.mjs compute it. */
export function keyFingerprint(pem) {
  const der = createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

/** Every object file under the storage root except the scratch folder, as keys (a/b/c). */
export function storageKeys(root) {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      const key = relative(root, full).split(sep).join('/');
      if (e.isDirectory()) {
        if (key !== 'tmp') walk(full);
      } else if (e.isFile()) {
        out.push(key);
      }
    }
  };
  if (existsSync(root)) walk(root);
  return out.sort();
}

/** Copies one object, keeping its mode (read-only) and times (the retention date is the mtime). */
export function copyObject(from, to) {
  const st = statSync(from);
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  chmodSync(to, st.mode & 0o7777);
  utimesSync(to, st.atime, st.mtime);
  return st;
}

export function run(cmd, args) {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => {
      stderr += c;
      process.stderr.write(c);
    });
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`${cmd} exited ${code}: ${stderr.trim().slice(-500)}`)),
    );
  });
}

function args(argv) {
  const out = { noSigningKey: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') out.dir = argv[++i];
    else if (argv[i] === '--no-signing-key') out.noSigningKey = true;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!out.dir) throw new Error('usage: backup.mjs --out <new or empty folder> [--no-signing-key]');
  return out;
}

async function main() {
  const opts = args(process.argv.slice(2));
  const s = hubSettings();
  if (!s.ownerUrl) throw new Error('DATABASE_MIGRATION_URL is not set (the owner role dumps the database)');
  const bin = pgBinDir();
  if (!bin) throw new Error('PostgreSQL client binaries (pg_dump) not found');
  const out = isAbsolute(opts.dir) ? opts.dir : resolve(opts.dir);
  if (existsSync(out) && readdirSync(out).length) throw new Error(`${out} is not empty`);
  mkdirSync(out, { recursive: true, mode: 0o700 });
  chmodSync(out, 0o700);
  const startedAt = new Date().toISOString();

  // 1. the database: one REPEATABLE READ snapshot, exported to pg_dump, so the chain heads and
  // migration level below are exactly those in the dump
  const db = new pg.Client({ connectionString: s.ownerUrl });
  await db.connect();
  let snapshotFacts;
  try {
    await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const [{ snapshot }] = (await db.query('SELECT pg_export_snapshot() AS snapshot')).rows;
    const heads = (
      await db.query(
        `SELECT DISTINCT ON (partnership_id) partnership_id AS "partnershipId", seq::text AS seq, hash
           FROM access_log ORDER BY partnership_id, seq DESC`,
      )
    ).rows;
    const [{ migration }] = (
      await db.query(`SELECT name AS migration FROM migrations ORDER BY id DESC LIMIT 1`)
    ).rows;
    const fingerprints = (
      await db.query(
        `SELECT DISTINCT key_fingerprint AS f FROM evidence_packs WHERE key_fingerprint IS NOT NULL ORDER BY 1`,
      )
    ).rows.map((r) => r.f);
    const [{ version }] = (await db.query('SHOW server_version')).rows;
    const dumpFile = join(out, 'database.dump');
    say(`pg_dump (snapshot ${snapshot}) -> ${dumpFile}`);
    await run(join(bin, 'pg_dump'), [
      '--format=custom',
      '--no-password',
      `--snapshot=${snapshot}`,
      `--file=${dumpFile}`,
      `--dbname=${s.ownerUrl}`,
    ]);
    await db.query('COMMIT');
    snapshotFacts = { heads, migration, fingerprints, version, dumpFile };
  } finally {
    await db.end();
  }
  chmodSync(snapshotFacts.dumpFile, 0o600);
  const database = {
    file: 'database.dump',
    format: 'pg_dump custom',
    serverVersion: snapshotFacts.version,
    bytes: statSync(snapshotFacts.dumpFile).size,
    sha256: await sha256File(snapshotFacts.dumpFile),
    migration: snapshotFacts.migration,
    accessLogHeads: snapshotFacts.heads,
    packSigningFingerprints: snapshotFacts.fingerprints,
  };

  // 2. the object storage (after the dump: every object a dumped row names is already stored)
  let storage;
  if (s.storageDriver === 's3') {
    storage = { driver: 's3', copied: false, objects: [] };
    say(
      'STORAGE_DRIVER=s3: objects not copied (bucket versioning, replication and Object Lock protect them)',
    );
  } else {
    const objects = [];
    for (const key of storageKeys(s.storageDir)) {
      const st = copyObject(join(s.storageDir, key), join(out, 'storage', key));
      objects.push({
        key,
        bytes: st.size,
        sha256: await sha256File(join(out, 'storage', key)),
        mode: (st.mode & 0o777).toString(8),
        mtime: st.mtime.toISOString(),
      });
    }
    storage = { driver: 'local', copied: true, objects };
    say(`storage: ${objects.length} objects from ${s.storageDir}`);
  }

  // 3. the signing key
  let signingKey = null;
  if (existsSync(s.keyPath)) {
    const pem = readFileSync(s.keyPath, 'utf8');
    signingKey = { fingerprint: keyFingerprint(pem), file: opts.noSigningKey ? null : 'signing-key.pem' };
    if (!opts.noSigningKey) {
      writeFileSync(join(out, 'signing-key.pem'), pem, { mode: 0o600 });
    }
    say(`signing key ${signingKey.fingerprint}${opts.noSigningKey ? ' (not copied: --no-signing-key)' : ''}`);
  } else {
    say(`no signing key at ${s.keyPath} (none is made until the first pack is built)`);
  }
  if (database.packSigningFingerprints.some((f) => f !== signingKey?.fingerprint)) {
    say(
      `note: packs were signed by ${database.packSigningFingerprints.join(', ')}; the key backed up is ${signingKey?.fingerprint ?? 'none'} (older keys verify their packs from the fingerprints in the database)`,
    );
  }

  const manifest = {
    format: 1,
    startedAt,
    finishedAt: new Date().toISOString(),
    database,
    storage,
    signingKey,
  };
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  say(
    `done: ${out} (database ${database.bytes} bytes, ${storage.objects.length} objects, ${database.accessLogHeads.length} access-log chains)`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    say(`FAILED: ${err.message}`);
    process.exit(1);
  });
}
