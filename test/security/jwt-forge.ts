import { createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

/**
 * Hand-built JWTs for S4 (e): unsigned, wrongly signed, algorithm-swapped and tampered tokens
 * made from a real access token's claims, without a JWT library (which would refuse to make most).
 */
const b64 = (v: object | string) =>
  Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

export function decodeJwt(token: string): { header: any; payload: any } {
  const [h, p] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')),
  };
}

function hmac(alg: 'sha256' | 'sha384' | 'sha512', key: string | Buffer, input: string): string {
  return createHmac(alg, key).update(input).digest('base64url');
}

function asymmetric(alg: 'RS256' | 'ES256', key: KeyObject, input: string): string {
  return sign(
    'sha256',
    Buffer.from(input),
    alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key,
  ).toString('base64url');
}

export interface Forged {
  label: string;
  token: string;
}

/**
 * Forgeries of `real` (a valid access token). `secret` is the server's HMAC secret: tokens that use
 * it with another algorithm show the algorithm is pinned, not merely that the key is unknown.
 */
export function forgeries(real: string, secret: string): Forged[] {
  const { header, payload } = decodeJwt(real);
  const [, , realSig] = real.split('.');
  const claims = b64(payload);
  const admin = b64({ ...payload, rol: 'admin' });
  const now = Math.floor(Date.now() / 1000);
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rsaPublicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const jwk = rsa.publicKey.export({ format: 'jwk' });
  const with_ = (h: object, body: string, sig: (input: string) => string) => {
    const input = `${b64(h)}.${body}`;
    return `${input}.${sig(input)}`;
  };
  const hs = (alg: string, hashAlg: 'sha256' | 'sha384' | 'sha512', key: string | Buffer, body = claims) =>
    with_({ ...header, alg }, body, (i) => hmac(hashAlg, key, i));
  return [
    { label: 'alg none, no signature', token: `${b64({ alg: 'none', typ: 'JWT' })}.${claims}.` },
    { label: 'alg None (case variant)', token: `${b64({ alg: 'None', typ: 'JWT' })}.${claims}.` },
    { label: 'alg NONE (case variant)', token: `${b64({ alg: 'NONE', typ: 'JWT' })}.${claims}.` },
    {
      label: 'alg none, the real signature kept',
      token: `${b64({ alg: 'none', typ: 'JWT' })}.${claims}.${realSig}`,
    },
    { label: 'alg none, role raised to admin', token: `${b64({ alg: 'none', typ: 'JWT' })}.${admin}.` },
    { label: 'no signature part at all', token: `${b64(header)}.${claims}` },
    { label: 'HS256, role raised to admin, original signature', token: `${b64(header)}.${admin}.${realSig}` },
    { label: 'HS256 with a wrong secret', token: hs('HS256', 'sha256', 'x'.repeat(48)) },
    { label: 'HS256 with an empty secret', token: hs('HS256', 'sha256', '') },
    { label: 'HS384 with the server secret (algorithm not pinned?)', token: hs('HS384', 'sha384', secret) },
    { label: 'HS512 with the server secret (algorithm not pinned?)', token: hs('HS512', 'sha512', secret) },
    {
      label: 'HS/RS confusion: HS256 keyed with an RSA public key (PEM)',
      token: hs('HS256', 'sha256', rsaPublicPem),
    },
    {
      label: 'RS256 signed with an attacker key',
      token: with_({ ...header, alg: 'RS256' }, claims, (i) => asymmetric('RS256', rsa.privateKey, i)),
    },
    {
      label: 'RS256 with the attacker key embedded as a jwk header',
      token: with_({ ...header, alg: 'RS256', jwk }, claims, (i) => asymmetric('RS256', rsa.privateKey, i)),
    },
    {
      label: 'RS256 with a jku header pointing elsewhere',
      token: with_({ ...header, alg: 'RS256', jku: 'https://evil.example/jwks.json' }, claims, (i) =>
        asymmetric('RS256', rsa.privateKey, i),
      ),
    },
    {
      label: 'ES256 signed with an attacker key',
      token: with_({ ...header, alg: 'ES256' }, claims, (i) => asymmetric('ES256', ec.privateKey, i)),
    },
    {
      label: 'kid traversal to /dev/null with an empty secret',
      token: with_({ ...header, kid: '../../../../dev/null' }, claims, (i) => hmac('sha256', '', i)),
    },
    {
      label: 'server secret, wrong issuer',
      token: hs('HS256', 'sha256', secret, b64({ ...payload, iss: 'someone-else' })),
    },
    {
      label: 'server secret, no issuer',
      token: hs('HS256', 'sha256', secret, b64({ ...payload, iss: undefined })),
    },
    {
      label: 'server secret, expired an hour ago',
      token: hs('HS256', 'sha256', secret, b64({ ...payload, iat: now - 7200, exp: now - 3600 })),
    },
    {
      label: 'server secret, not valid before tomorrow',
      token: hs('HS256', 'sha256', secret, b64({ ...payload, nbf: now + 86_400 })),
    },
    { label: 'the real token with a trailing dot', token: `${real}.` },
    { label: 'the real token with its signature truncated', token: real.slice(0, -4) },
  ];
}

/** A forged token that IS valid: the real claims re-signed with the server secret (positive control). */
export function resigned(real: string, secret: string): string {
  const { header, payload } = decodeJwt(real);
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${hmac('sha256', secret, input)}`;
}
