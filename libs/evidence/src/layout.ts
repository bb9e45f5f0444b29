import { isAbsolute, resolve } from 'node:path';

/** Safe names for files in a pack: letters, digits, dot, dash and underscore only. */
export function safeName(s: string, max = 60): string {
  const cleaned = s
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return (cleaned || 'file').slice(0, max);
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/heic': 'heic',
  'video/mp4': 'mp4',
  'application/pdf': 'pdf',
};

/**
 * exhibits/<reference>.<ext>, the reference's `/` as `-` (JS/1 -> JS-1.jpg). References are
 * unique per incident; when two incidents of a case share one, the later gets `_<n>` (the manifest
 * keeps the reference and incident for each file).
 */
export function exhibitPackPaths(exhibits: { reference: string; mediaType: string }[]): string[] {
  const used = new Set<string>();
  return exhibits.map((e) => {
    const base = safeName(e.reference.replace(/\//g, '-'));
    const ext = EXTENSIONS[e.mediaType] ?? 'bin';
    let name = `exhibits/${base}.${ext}`;
    for (let n = 2; used.has(name); n++) {
      name = `exhibits/${base}_${n}.${ext}`;
    }
    used.add(name);
    return name;
  });
}

// The storage layout: every path under STORAGE_DIR is worked out here. Rows keep paths relative to
// the storage root, so the folder can move.

/** STORAGE_DIR as an absolute path (relative to the working directory when given relative). */
export function storageRoot(dir: string): string {
  return isAbsolute(dir) ? dir : resolve(process.cwd(), dir);
}

function contentAddress(kind: 'masters' | 'derivatives', partnershipId: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256) || !/^[0-9a-f-]{36}$/.test(partnershipId)) {
    throw new Error('bad content address');
  }
  return `${kind}/${partnershipId}/${sha256.slice(0, 2)}/${sha256}`;
}

/** masters/<partnership>/<aa>/<sha256>: an evidence master or subject image, as received. */
export function masterRelativePath(partnershipId: string, sha256: string): string {
  return contentAddress('masters', partnershipId, sha256);
}

/** derivatives/<partnership>/<aa>/<sha256>: a metadata-free viewing copy. */
export function derivativeRelativePath(partnershipId: string, sha256: string): string {
  return contentAddress('derivatives', partnershipId, sha256);
}

/** packs/<partnership>/<pack id>.zip */
export function packRelativePath(partnershipId: string, packId: string): string {
  return `packs/${partnershipId}/${packId}.zip`;
}

/** reports/<partnership>/<report id>.pdf */
export function reportRelativePath(partnershipId: string, reportId: string): string {
  return `reports/${partnershipId}/${reportId}.pdf`;
}
