import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
} from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** The Ed25519 key that signs pack checkpoints. It lives in a file, never in the database. */
export interface SigningKey {
  privateKey: KeyObject;
  /** SPKI PEM, shipped in every pack */
  publicKeyPem: string;
  /** SHA-256 of the DER SubjectPublicKeyInfo, lowercase hex: publish it so packs can be pinned */
  fingerprint: string;
}

/**
 * Reads the PEM (PKCS#8) key at `path`, creating it (mode 0600, folder 0700) on first use. `wx`
 * makes two processes racing to create it agree: the loser reads the winner's key.
 */
export function loadOrCreateSigningKey(path: string): SigningKey {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw err;
    }
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    const fresh = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    try {
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, fresh);
      } finally {
        closeSync(fd);
      }
      chmodSync(path, 0o600);
      pem = fresh;
    } catch (createErr) {
      if ((createErr as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw createErr;
      }
      pem = readFileSync(path, 'utf8');
    }
  }
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`the evidence signing key at ${path} is not an Ed25519 key`);
  }
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    fingerprint: createHash('sha256').update(der).digest('hex'),
  };
}

/** Ed25519 over the exact bytes; base64 text with a trailing LF, as written to the .sig files. */
export function signDetached(key: SigningKey, bytes: Buffer): Buffer {
  return Buffer.from(`${sign(null, bytes, key.privateKey).toString('base64')}\n`, 'ascii');
}
