import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { existsSync } from 'node:fs';
import { EnvSchema } from './env.schema';
import { secretWeakness } from './secret-strength';

/**
 * Deliberately broken variants of the real code that a negative control runs (NODE_ENV=test only).
 * Each is checked at the one line of code it breaks, through `config.testDefects.has(name)`.
 */
export const TEST_DEFECT_NAMES = [
  /** R1: the rollup fold adds pending changes without taking them, so every later fold adds them again */
  'fold-keeps-pending',
  /** R2/R3: the radio's replay from alert_seq leaves one alert out */
  'replay-skips-one',
  /** R2-dup: the radio's replay ignores the client's position and sends everything again */
  'replay-duplicates',
  /** E1a: the evidence upload does not compare the client's SHA-256 with the one it computed */
  'hash-check-off',
  /** R6: a planted leak: the api keeps a reference to every request body it handles */
  'rss-leak',
  /** S2: the validation pipe ignores the shared date, text and money rules (libs/errors input-rules) */
  'input-rules-off',
  /** stats disclosure: analysts' figures get primary suppression only, no complementary cells */
  'stats-primary-suppression-only',
  /** P3: TypeORM's logger writes the values bound to a statement */
  'typeorm-logs-parameters',
  /** P3: errors are logged whole (driver fields, parameters), not through redactError */
  'log-errors-unredacted',
  /** S3: the upload takes its type from the declared file name when the magic bytes fail */
  'mime-fallback',
  /** S5: the api is built without helmet (no CSP, HSTS, nosniff) */
  'helmet-off',
  /** S7: the login limiter counts on the client's own X-Forwarded-For header */
  'login-limiter-keyed-on-forwarded-header',
  /** S4/S7: the login limiter never limits */
  'login-limiter-off',
  /** P2: the subject access export leaves one table (subject_incidents) out */
  'sar-skips-subject-links',
  /** R5: an Idempotency-Key replay skips the fingerprint check (same key + other body replays) */
  'idempotency-fingerprint-off',
  /** R5: the statement POST claims a fresh key instead of the client's (a retry makes another) */
  'statement-key-ignored',
  /** references: the service does not check a body's subject id, so only the foreign key refuses it */
  'reference-check-off',
  /** access log: a commit's rows are left pending, chained only when someone reads the log */
  'access-log-chained-late',
] as const;
export type TestDefect = (typeof TEST_DEFECT_NAMES)[number];

/** An S3-compatible bucket and how to reach it (STORAGE_DRIVER=s3). */
export interface S3Settings {
  /** null: AWS's endpoint for the region */
  endpoint: string | null;
  region: string;
  bucket: string;
  /** both null: the SDK's default credential chain */
  accessKeyId: string | null;
  secretAccessKey: string | null;
  forcePathStyle: boolean;
}

/** The storage variables that only make sense together. */
function storageProblems(env: EnvSchema): string[] {
  const problems: string[] = [];
  if (env.STORAGE_DRIVER === 's3' && !env.S3_BUCKET) {
    problems.push('S3_BUCKET: required when STORAGE_DRIVER=s3');
  }
  if (!env.S3_ACCESS_KEY_ID !== !env.S3_SECRET_ACCESS_KEY) {
    problems.push('S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set both or neither');
  }
  // a lock outlasting the record's retention would make its erasure impossible
  if (env.STORAGE_LOCK_MODE !== 'none' && env.STORAGE_LOCK_DAYS > env.RETENTION_INCIDENT_DAYS) {
    problems.push('STORAGE_LOCK_DAYS: must not exceed RETENTION_INCIDENT_DAYS');
  }
  return problems;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
}

function parseDefects(raw: string): { known: TestDefect[]; unknown: string[] } {
  const names = raw
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const isKnown = (n: string): n is TestDefect => (TEST_DEFECT_NAMES as readonly string[]).includes(n);
  return { known: names.filter(isKnown), unknown: names.filter((n) => !isKnown(n)) };
}

/** A set that cannot be changed after construction (Object.freeze does not stop Set#add). */
function frozenSet<T>(items: T[]): ReadonlySet<T> {
  const set = new Set(items);
  const refuse = () => {
    throw new TypeError('AppConfig.testDefects is read-only');
  };
  return Object.freeze(Object.assign(set, { add: refuse, delete: refuse, clear: refuse }));
}

/** Frozen, typed sections of the validated environment. The only reader of process.env. */
export class AppConfig {
  readonly env: EnvSchema['NODE_ENV'];
  readonly http: Readonly<{ host: string; port: number; corsOrigins: string[]; trustProxy: string[] }>;
  readonly db: Readonly<{ url: string; migrationUrl: string; poolSize: number }>;
  readonly redis: Readonly<{ url: string; prefix: string }>;
  readonly queue: Readonly<{ concurrency: number; lockDurationMs: number; stalledIntervalMs: number }>;
  readonly radio: Readonly<{
    port: number;
    path: string;
    /** browsers reach it at the page's origin (behind a reverse proxy), not on `port` */
    sameOrigin: boolean;
    replayBatch: number;
    /** replay queries in flight at once; at most DB_POOL_SIZE - 1 (one is left for acknowledgements) */
    replayConcurrency: number;
    /** sockets asking for the same replay at once share one query */
    replayCoalesce: boolean;
    /** a coalesced replay query waits this long for more sockets before it starts */
    replayGatherMs: number;
    maxPayloadBytes: number;
    alertRateLimitPerMinute: number;
  }>;
  readonly auth: Readonly<{
    jwtSecret: string;
    accessTtlSeconds: number;
    refreshTtlDays: number;
    loginMaxAttempts: number;
    loginWindowSeconds: number;
    argon2MemoryKib: number;
    guardDisabledForTest: boolean;
  }>;
  /** per-sender limits on costly writes (login and alerts have theirs under auth and radio) */
  readonly limits: Readonly<{ reportsPerMinute: number; packsPerHour: number }>;
  readonly storage: Readonly<{
    driver: EnvSchema['STORAGE_DRIVER'];
    /** the local driver's root, and both drivers' scratch (tmp/) */
    dir: string;
    evidenceMaxBytes: number;
    s3: Readonly<S3Settings>;
    /** masters are kept write-once for `days` unless mode is none */
    lock: Readonly<{ mode: EnvSchema['STORAGE_LOCK_MODE']; days: number }>;
  }>;
  /** `build`: named with the version in every pack (HUB_BUILD) */
  readonly packs: Readonly<{ signingKeyPath: string; ttlHours: number; build: string; buildConcurrency: number }>;
  /** smallest count an analyst may see (k >= 5); smaller cells are withheld */
  readonly stats: Readonly<{ minCell: number }>;
  readonly idempotency: Readonly<{ retentionDays: number; lockTimeoutMs: number }>;
  /** days each record kind is kept before the retention job erases it (legal holds exempt) */
  readonly retention: Readonly<{ incidentDays: number; alertDays: number }>;
  readonly log: Readonly<{ level: string; pretty: boolean }>;
  /** probes, metrics and shutdown: the worker's probe port, the /metrics token, the drain before stopping */
  readonly ops: Readonly<{ workerHttpPort: number; metricsToken: string; shutdownDrainMs: number }>;
  /** OpenTelemetry traces (libs/observability): off unless enabled; `serviceName` null: hub-<app> */
  readonly tracing: Readonly<{
    enabled: boolean;
    endpoint: string;
    serviceName: string | null;
    sampleRatio: number;
  }>;
  /** broken variants switched on for a negative control (always empty outside NODE_ENV=test) */
  readonly testDefects: ReadonlySet<TestDefect>;

  private constructor(e: EnvSchema) {
    this.env = e.NODE_ENV;
    const list = (s: string) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
    this.http = Object.freeze({
      host: e.API_HOST,
      port: e.API_PORT,
      corsOrigins: list(e.CORS_ORIGINS),
      trustProxy: list(e.TRUST_PROXY),
    });
    this.db = Object.freeze({
      url: e.DATABASE_URL,
      migrationUrl: e.DATABASE_MIGRATION_URL,
      poolSize: e.DB_POOL_SIZE,
    });
    this.redis = Object.freeze({ url: e.REDIS_URL, prefix: e.REDIS_PREFIX });
    this.queue = Object.freeze({
      concurrency: e.QUEUE_CONCURRENCY,
      lockDurationMs: e.QUEUE_LOCK_DURATION_MS,
      stalledIntervalMs: e.QUEUE_STALLED_INTERVAL_MS,
    });
    this.radio = Object.freeze({
      port: e.RADIO_PORT,
      path: e.RADIO_PATH,
      sameOrigin: e.RADIO_SAME_ORIGIN,
      replayBatch: e.RADIO_REPLAY_BATCH,
      replayConcurrency: Math.max(1, Math.min(e.RADIO_REPLAY_CONCURRENCY, e.DB_POOL_SIZE - 1)),
      replayCoalesce: e.RADIO_REPLAY_COALESCE,
      replayGatherMs: e.RADIO_REPLAY_GATHER_MS,
      maxPayloadBytes: e.RADIO_MAX_PAYLOAD_BYTES,
      alertRateLimitPerMinute: e.ALERT_RATE_LIMIT_PER_MINUTE,
    });
    this.auth = Object.freeze({
      jwtSecret: e.JWT_SECRET,
      accessTtlSeconds: e.JWT_ACCESS_TTL_SECONDS,
      refreshTtlDays: e.REFRESH_TTL_DAYS,
      loginMaxAttempts: e.LOGIN_MAX_ATTEMPTS,
      loginWindowSeconds: e.LOGIN_WINDOW_SECONDS,
      argon2MemoryKib: e.ARGON2_MEMORY_KIB,
      guardDisabledForTest: e.AUTH_GUARD_DISABLED_FOR_TEST,
    });
    this.limits = Object.freeze({
      reportsPerMinute: e.REPORT_RATE_LIMIT_PER_MINUTE,
      packsPerHour: e.PACK_RATE_LIMIT_PER_HOUR,
    });
    this.storage = Object.freeze({
      driver: e.STORAGE_DRIVER,
      dir: e.STORAGE_DIR,
      evidenceMaxBytes: e.EVIDENCE_MAX_BYTES,
      s3: Object.freeze({
        endpoint: e.S3_ENDPOINT || null,
        region: e.S3_REGION,
        bucket: e.S3_BUCKET,
        accessKeyId: e.S3_ACCESS_KEY_ID || null,
        secretAccessKey: e.S3_SECRET_ACCESS_KEY || null,
        forcePathStyle: e.S3_FORCE_PATH_STYLE,
      }),
      lock: Object.freeze({ mode: e.STORAGE_LOCK_MODE, days: e.STORAGE_LOCK_DAYS }),
    });
    this.packs = Object.freeze({
      signingKeyPath: e.EVIDENCE_SIGNING_KEY_PATH,
      build: e.HUB_BUILD,
      ttlHours: e.EVIDENCE_PACK_TTL_HOURS,
      buildConcurrency: e.PACK_BUILD_CONCURRENCY,
    });
    this.stats = Object.freeze({ minCell: e.STATS_MIN_CELL });
    this.idempotency = Object.freeze({
      retentionDays: e.IDEMPOTENCY_RETENTION_DAYS,
      lockTimeoutMs: e.IDEMPOTENCY_LOCK_TIMEOUT_MS,
    });
    this.retention = Object.freeze({
      incidentDays: e.RETENTION_INCIDENT_DAYS,
      alertDays: e.RETENTION_ALERT_DAYS,
    });
    this.log = Object.freeze({ level: e.LOG_LEVEL, pretty: e.LOG_PRETTY });
    this.ops = Object.freeze({
      workerHttpPort: e.WORKER_HTTP_PORT,
      metricsToken: e.METRICS_TOKEN,
      shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    });
    this.tracing = Object.freeze({
      enabled: e.OTEL_TRACES_ENABLED,
      endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, ''),
      serviceName: e.OTEL_SERVICE_NAME || null,
      sampleRatio: e.OTEL_TRACES_SAMPLE_RATIO,
    });
    this.testDefects = frozenSet(parseDefects(e.TEST_DEFECTS).known);
    Object.freeze(this);
  }

  /** Validates a set of variables; throws ConfigError naming every bad one. */
  static from(vars: Record<string, string | undefined>): AppConfig {
    const known = Object.keys(new EnvSchema());
    const picked = Object.fromEntries(
      Object.entries(vars).filter(([k, v]) => known.includes(k) && v !== undefined && v !== ''),
    );
    const env = plainToInstance(EnvSchema, picked, { exposeDefaultValues: true });
    const problems = describe(validateSync(env, { whitelist: true }));
    // judged by strength, not by comparison with the example: any guessable secret is refused
    const weakness = env.NODE_ENV === 'production' ? secretWeakness(env.JWT_SECRET) : null;
    if (weakness) {
      problems.push(`JWT_SECRET: ${weakness}`);
    }
    if (env.NODE_ENV !== 'test' && env.AUTH_GUARD_DISABLED_FOR_TEST) {
      problems.push('AUTH_GUARD_DISABLED_FOR_TEST: allowed only when NODE_ENV=test');
    }
    const defects = parseDefects(env.TEST_DEFECTS ?? '');
    if (defects.unknown.length) {
      problems.push(
        `TEST_DEFECTS: unknown ${defects.unknown.join(', ')} (known: ${TEST_DEFECT_NAMES.join(', ')})`,
      );
    }
    if (env.NODE_ENV !== 'test' && defects.known.length) {
      problems.push('TEST_DEFECTS: allowed only when NODE_ENV=test');
    }
    if (
      ['/health', '/ready', '/metrics'].some(
        (p) => env.RADIO_PATH === p || env.RADIO_PATH?.startsWith(`${p}/`),
      )
    ) {
      problems.push(
        'RADIO_PATH: must not be /health, /ready or /metrics (the radio serves its probes there)',
      );
    }
    problems.push(...storageProblems(env));
    if (problems.length) {
      throw new ConfigError(problems);
    }
    return new AppConfig(env);
  }

  /** Reads the process environment, loading `.env` first outside tests. */
  static fromProcess(): AppConfig {
    if (process.env.NODE_ENV !== 'test' && existsSync('.env')) {
      process.loadEnvFile('.env');
    }
    return AppConfig.from(process.env);
  }
}
