export interface SummedFile {
  path: string;
  sha256: string;
}

/** Pack-relative paths: `/` separators, no newline, backslash, `..`, leading slash or control bytes. */
export function assertSafePackPath(path: string): void {
  if (
    !path ||
    path.startsWith('/') ||
    /[\\\u0000-\u001f\u007f]/.test(path) ||
    path.split('/').some((s) => s === '' || s === '.' || s === '..')
  ) {
    throw new Error(`unsafe path in pack: ${JSON.stringify(path)}`);
  }
}

/**
 * The exact form `sha256sum -c` reads: 64 lowercase hex, two spaces, the relative path, LF after
 * every line; sorted by path so the bytes are reproducible.
 */
export function formatSha256Sums(files: SummedFile[]): Buffer {
  const lines = [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => {
      assertSafePackPath(f.path);
      if (!/^[0-9a-f]{64}$/.test(f.sha256)) {
        throw new Error(`not a SHA-256: ${f.sha256}`);
      }
      return `${f.sha256}  ${f.path}\n`;
    });
  return Buffer.from(lines.join(''), 'utf8');
}
