// The standalone verifier shipped as verify.mjs in every pack. Kept as text so the worker needs no
// asset copying; it must never contain a backtick or a dollar-brace. See verify-script.spec.ts.
export const VERIFY_MJS = String.raw`#!/usr/bin/env node
// verify.mjs: checks an evidence pack with Node's built-ins only (no network, no app, no database).
// Usage: node verify.mjs [pack-folder] [--fingerprint <64 hex>]
// Checks every SHA256SUMS line, files not listed, both Ed25519 signatures, manifest.json against
// SHA256SUMS, and the continuity.jsonl hash chain up to the signed checkpoint. Each problem is
// printed as "FAIL <file or file:line>: <what>"; the exit code is 0 only when nothing failed.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { existsSync, openSync, readSync, closeSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const GENESIS = '0'.repeat(64);
const UNLISTED = new Set(['SHA256SUMS', 'SHA256SUMS.sig', 'checkpoint.sig']);
const args = process.argv.slice(2);
let root = '.';
let pinned = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--fingerprint') {
    pinned = String(args[++i] || '').toLowerCase();
  } else {
    root = args[i];
  }
}

const failures = [];
const fail = (where, what) => failures.push('FAIL ' + where + ': ' + what);
const at = (p) => join(root, ...p.split('/'));

function canonical(v) {
  if (v === null || typeof v !== 'object') {
    return JSON.stringify(v === undefined ? null : v);
  }
  if (Array.isArray(v)) {
    return '[' + v.map(canonical).join(',') + ']';
  }
  const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonical(v[k])).join(',') + '}';
}

function sha256File(path) {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(1 << 20);
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) {
        break;
      }
      hash.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

function readText(name) {
  if (!existsSync(at(name))) {
    fail(name, 'missing');
    return null;
  }
  return readFileSync(at(name));
}

function walk(dir, prefix, out) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const rel = prefix ? prefix + '/' + name : name;
    if (statSync(full).isDirectory()) {
      walk(full, rel, out);
    } else {
      out.push(rel);
    }
  }
  return out;
}

// 1. SHA256SUMS: exactly the form sha256sum -c reads; every listed file must match.
const sumsBytes = readText('SHA256SUMS');
const sums = new Map();
if (sumsBytes) {
  const text = sumsBytes.toString('utf8');
  if (text.length && !text.endsWith('\n')) {
    fail('SHA256SUMS', 'the last line does not end with LF');
  }
  if (text.includes('\r')) {
    fail('SHA256SUMS', 'contains CR: lines must end with LF only');
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  lines.forEach((line, i) => {
    const m = /^([0-9a-f]{64})  (.+)$/.exec(line);
    if (!m) {
      fail('SHA256SUMS:' + (i + 1), 'not "<64 lowercase hex>  <path>"');
      return;
    }
    const path = m[2];
    if (path.startsWith('/') || path.includes('\\') || path.split('/').some((s) => s === '' || s === '.' || s === '..')) {
      fail('SHA256SUMS:' + (i + 1), 'unsafe path ' + JSON.stringify(path));
      return;
    }
    if (sums.has(path)) {
      fail('SHA256SUMS:' + (i + 1), 'lists ' + path + ' twice');
    }
    sums.set(path, m[1]);
  });
}
for (const [path, want] of sums) {
  if (!existsSync(at(path))) {
    fail(path, 'missing (listed in SHA256SUMS)');
    continue;
  }
  const got = sha256File(at(path));
  if (got !== want) {
    fail(path, 'SHA-256 is ' + got + ' but SHA256SUMS says ' + want);
  }
}
for (const path of walk(root, '', [])) {
  if (!sums.has(path) && !UNLISTED.has(path)) {
    fail(path, 'present but not listed in SHA256SUMS');
  }
}

// 2. Signatures: Ed25519 over the exact bytes of SHA256SUMS and checkpoint.json.
let key = null;
let fingerprint = null;
const pem = readText('signing-key.pub.pem');
if (pem) {
  try {
    key = createPublicKey(pem);
    fingerprint = createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
    if (key.asymmetricKeyType !== 'ed25519') {
      fail('signing-key.pub.pem', 'not an Ed25519 public key');
      key = null;
    }
  } catch (err) {
    fail('signing-key.pub.pem', 'unreadable public key (' + err.message + ')');
  }
}
if (pinned && fingerprint && pinned !== fingerprint) {
  fail('signing-key.pub.pem', 'fingerprint ' + fingerprint + ' is not the expected ' + pinned);
}
function checkSig(sigName, signedName, bytes) {
  const sig = readText(sigName);
  if (!sig || !bytes || !key) {
    return;
  }
  let ok = false;
  try {
    ok = verify(null, bytes, key, Buffer.from(sig.toString('ascii').trim(), 'base64'));
  } catch {
    ok = false;
  }
  if (!ok) {
    fail(sigName, 'the signature does not verify over ' + signedName + ' with the pack key');
  }
}
checkSig('SHA256SUMS.sig', 'SHA256SUMS', sumsBytes);
const checkpointBytes = readText('checkpoint.json');
checkSig('checkpoint.sig', 'checkpoint.json', checkpointBytes);

// 3. manifest.json agrees with SHA256SUMS, file for file.
const manifestBytes = readText('manifest.json');
let manifest = null;
if (manifestBytes) {
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8'));
  } catch {
    fail('manifest.json', 'not valid JSON');
  }
}
if (manifest) {
  const listed = new Map();
  for (const f of Array.isArray(manifest.files) ? manifest.files : []) {
    listed.set(f.path, f);
    if (!sums.has(f.path)) {
      fail('manifest.json', f.path + ' is in the manifest but not in SHA256SUMS');
    } else if (sums.get(f.path) !== f.sha256) {
      fail('manifest.json', f.path + ' has SHA-256 ' + f.sha256 + ' in the manifest but ' + sums.get(f.path) + ' in SHA256SUMS');
    } else if (existsSync(at(f.path)) && statSync(at(f.path)).size !== f.size) {
      fail(f.path, 'size is ' + statSync(at(f.path)).size + ' bytes but the manifest says ' + f.size);
    }
  }
  for (const path of sums.keys()) {
    if (path !== 'manifest.json' && !listed.has(path)) {
      fail('manifest.json', path + ' is in SHA256SUMS but not in the manifest');
    }
  }
  if (!sums.has('manifest.json')) {
    fail('SHA256SUMS', 'does not list manifest.json');
  }
  if (fingerprint && manifest.signing && manifest.signing.publicKeyFingerprint !== fingerprint) {
    fail('manifest.json', 'names key fingerprint ' + manifest.signing.publicKeyFingerprint + ' but the pack key is ' + fingerprint);
  }
}

// 4. continuity.jsonl: h_i = SHA-256(canonical_json(entry_i) || h_(i-1)), up to the signed head.
const logBytes = readText('continuity.jsonl');
let last = { seq: 0, hash: GENESIS };
if (logBytes) {
  const text = logBytes.toString('utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
  } else if (text.length) {
    fail('continuity.jsonl', 'the last line does not end with LF');
  }
  let prev = GENESIS;
  let broken = false;
  lines.forEach((line, i) => {
    const where = 'continuity.jsonl:' + (i + 1);
    let row;
    try {
      row = JSON.parse(line);
    } catch {
      fail(where, 'not valid JSON');
      broken = true;
      return;
    }
    const { prev_hash: prevHash, hash, ...entry } = row;
    if (canonical(row) !== line) {
      fail(where, 'not in canonical form (sorted keys, no spaces)');
    }
    if (entry.seq !== i + 1) {
      fail(where, 'seq is ' + entry.seq + ', expected ' + (i + 1) + ' (a line was removed, added or moved)');
    }
    if (prevHash !== prev) {
      fail(where, 'prev_hash does not match the hash of the line before (a line was removed, added or moved)');
    }
    const recomputed = createHash('sha256').update(canonical(entry), 'utf8').update(String(prevHash), 'utf8').digest('hex');
    if (recomputed !== hash) {
      fail(where, 'hash does not match the entry (the line was edited)');
    }
    if (!broken) {
      prev = hash;
    }
    last = { seq: entry.seq, hash };
  });
}
if (checkpointBytes) {
  let cp = null;
  try {
    cp = JSON.parse(checkpointBytes.toString('utf8'));
  } catch {
    fail('checkpoint.json', 'not valid JSON');
  }
  if (cp) {
    if (cp.seq !== last.seq || cp.head_hash !== last.hash) {
      fail('checkpoint.json', 'the signed head is seq ' + cp.seq + ' / ' + cp.head_hash + ' but continuity.jsonl ends at seq ' + last.seq + ' / ' + last.hash);
    }
    if (fingerprint && cp.key_fingerprint !== fingerprint) {
      fail('checkpoint.json', 'names key fingerprint ' + cp.key_fingerprint + ' but the pack key is ' + fingerprint);
    }
  }
}

if (failures.length) {
  for (const f of failures) {
    process.stdout.write(f + '\n');
  }
  process.stdout.write('NOT VERIFIED: ' + failures.length + ' problem(s)\n');
  process.exit(1);
}
process.stdout.write('OK ' + sums.size + ' files, continuity chain of ' + last.seq + ' entries, signatures valid\n');
process.stdout.write('signing key fingerprint (SHA-256 of the public key): ' + fingerprint + '\n');
process.exit(0);
`;
