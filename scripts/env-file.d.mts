/** See env-file.mjs. */
export function ensureEnvFile(dir: string): string | null;
