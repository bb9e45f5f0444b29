import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';

const toBool = ({ value }: { value: unknown }) => (typeof value === 'string' ? value === 'true' : value);

/** Every environment variable the hub reads. `.env.example` mirrors this class (a unit test checks). */
export class EnvSchema {
  // --- runtime
  /** unset means production: the project's scripts and test helpers set development or test */
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'production';

  // --- http
  @IsString()
  API_HOST = '127.0.0.1';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  API_PORT = 3000;

  /** Comma-separated origins allowed by CORS; empty allows none but same-origin. */
  @IsString()
  CORS_ORIGINS = 'http://127.0.0.1:3000,http://localhost:3000';

  /** Only trust X-Forwarded-For from these proxy addresses (comma-separated); empty trusts none. */
  @IsString()
  TRUST_PROXY = '';

  // --- db
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string;

  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_MIGRATION_URL must be a postgres:// URL' })
  DATABASE_MIGRATION_URL: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  DB_POOL_SIZE = 10;

  // --- redis
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL: string;

  @IsString()
  @Matches(/^[a-z0-9-]+$/, { message: 'REDIS_PREFIX may hold lower-case letters, digits and dashes only' })
  REDIS_PREFIX = 'hub';

  // --- queue
  @Type(() => Number)
  @IsInt()
  @Min(1)
  QUEUE_CONCURRENCY = 4;

  @Type(() => Number)
  @IsInt()
  @Min(500)
  QUEUE_LOCK_DURATION_MS = 30000;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  QUEUE_STALLED_INTERVAL_MS = 30000;

  // --- radio
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  RADIO_PORT = 3001;

  @Matches(/^\/[a-z0-9/-]*$/)
  RADIO_PATH = '/radio';

  /**
   * true: browsers reach the radio at the page's own origin under RADIO_PATH (a reverse proxy
   * forwards it to the radios); false: on RADIO_PORT of the page's host.
   */
  @Transform(toBool)
  @IsBoolean()
  RADIO_SAME_ORIGIN = false;

  /** Most alerts sent per replay batch; a client asks for the next batch while `more` is set. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  RADIO_REPLAY_BATCH = 200;

  /**
   * Replay queries one radio runs at once (each holds a pooled connection); more wait in a queue.
   * Kept below DB_POOL_SIZE (the radio uses at most DB_POOL_SIZE - 1) so acknowledgements find one.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  RADIO_REPLAY_CONCURRENCY = 4;

  /**
   * true: sockets asking for the same replay (partnership, audience, position) while one is
   * queued share its query; false: one query per socket, unqueued (the old behaviour, a control).
   */
  @Transform(toBool)
  @IsBoolean()
  RADIO_REPLAY_COALESCE = true;

  /**
   * How long a replay query waits for more sockets asking the same before it starts, in ms: in a
   * connection storm the sockets trickle in through the handshake, and this gathers them.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1000)
  RADIO_REPLAY_GATHER_MS = 20;

  /** socket.io maxHttpBufferSize: the largest frame a client may send, in bytes. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  RADIO_MAX_PAYLOAD_BYTES = 16384;

  /** Alerts one sender may raise per minute (REST and socket), counted in Redis. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  ALERT_RATE_LIMIT_PER_MINUTE = 30;

  /** New reports one sender (user or tablet) may file per minute, counted in Redis. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  REPORT_RATE_LIMIT_PER_MINUTE = 60;

  /** Evidence pack builds one officer may request per hour, counted in Redis. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  PACK_RATE_LIMIT_PER_HOUR = 20;

  // --- auth
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  /** development and tests only; production refuses it (and any guessable secret) by strength */
  JWT_SECRET = 'dev-only-secret-change-me-dev-only-secret-change-me';

  @Type(() => Number)
  @IsInt()
  @Min(30)
  JWT_ACCESS_TTL_SECONDS = 600;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  REFRESH_TTL_DAYS = 30;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOGIN_MAX_ATTEMPTS = 5;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOGIN_WINDOW_SECONDS = 900;

  /** argon2id memory cost in KiB (OWASP: 19456 = 19 MiB). */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  ARGON2_MEMORY_KIB = 19456;

  /** Test-only: switch the application's tenant guard off so row-level security alone must hold. */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  AUTH_GUARD_DISABLED_FOR_TEST = false;

  /**
   * Test-only: comma-separated names of deliberately broken variants of the real code (the
   * quality programme's negative controls, see TEST_DEFECT_NAMES); refused outside NODE_ENV=test.
   */
  @IsString()
  TEST_DEFECTS = '';

  /** Statistics: analysts never see a count between 1 and k-1 (k, never below 5). */
  @Type(() => Number)
  @IsInt()
  @Min(5)
  STATS_MIN_CELL = 5;

  // --- storage
  /** Where objects live: local disk under STORAGE_DIR, or an S3-compatible bucket (S3_*). */
  @IsIn(['local', 's3'])
  STORAGE_DRIVER: 'local' | 's3' = 'local';

  /** The local driver's root; with s3, only its tmp/ is used (uploads and packs being built). */
  @IsString()
  STORAGE_DIR = '.data/storage';

  /** The S3 service's URL (MinIO, Ceph, ...); empty means AWS's endpoint for S3_REGION. */
  @ValidateIf((e: EnvSchema) => e.S3_ENDPOINT !== '')
  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, { message: 'S3_ENDPOINT must be an http(s):// URL' })
  S3_ENDPOINT = '';

  @Matches(/^[a-z0-9-]+$/, { message: 'S3_REGION must be a region name such as eu-west-2' })
  S3_REGION = 'us-east-1';

  /** Required when STORAGE_DRIVER=s3. */
  @ValidateIf((e: EnvSchema) => e.S3_BUCKET !== '')
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'S3_BUCKET must be a valid bucket name' })
  S3_BUCKET = '';

  /** Both or neither; neither uses the SDK's default chain (an instance or task role). */
  @IsString()
  S3_ACCESS_KEY_ID = '';

  @IsString()
  S3_SECRET_ACCESS_KEY = '';

  /** bucket in the path (http://host/bucket/key), as MinIO and most self-hosted services want */
  @Transform(toBool)
  @IsBoolean()
  S3_FORCE_PATH_STYLE = false;

  /**
   * Write-once retention of evidence masters (and subject images, proofs): none, governance or
   * compliance, S3 Object Lock's modes. The local driver and a bucket without Object Lock refuse
   * deletes and overwrites in the hub only.
   */
  @IsIn(['none', 'governance', 'compliance'])
  STORAGE_LOCK_MODE: 'none' | 'governance' | 'compliance' = 'none';

  /** Days each master is locked from its upload; at most RETENTION_INCIDENT_DAYS. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  STORAGE_LOCK_DAYS = 2190;

  /** Largest evidence upload in bytes, enforced while streaming (413 beyond it). */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  EVIDENCE_MAX_BYTES = 50 * 1024 * 1024;

  /** Ed25519 key (PKCS#8 PEM) that signs evidence packs; created on first use, kept out of the database. */
  @IsString()
  @MinLength(1)
  EVIDENCE_SIGNING_KEY_PATH = '.data/keys/evidence-signing.pem';

  /** Hours a built evidence pack can be downloaded before it expires and its file is deleted. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 90)
  EVIDENCE_PACK_TTL_HOURS = 72;

  /**
   * Packs one worker process builds at once, each in its own child process that takes a whole core
   * while it zips: keep it (times worker processes) at most one per core, so reports stay fast.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  PACK_BUILD_CONCURRENCY = 1;

  /** The build named with the version in every evidence pack (the image's commit, set at build time). */
  @IsString()
  @MinLength(1)
  HUB_BUILD = 'source';

  // --- idempotency
  /** Days an Idempotency-Key and its response are kept: at least the longest offline window (30). */
  @Type(() => Number)
  @IsInt()
  @Min(30, { message: 'IDEMPOTENCY_RETENTION_DAYS must be at least 30 (the published offline window)' })
  IDEMPOTENCY_RETENTION_DAYS = 30;

  /** How long a duplicate waits for the original still in flight before answering 409 (ms). */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  IDEMPOTENCY_LOCK_TIMEOUT_MS = 2000;

  // --- retention (personal data erased by the worker's retention job; legal holds exempt)
  /** Days an incident report (with its statements and exhibits) is kept after it was created. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RETENTION_INCIDENT_DAYS = 2190;

  /** Days a radio alert (with its acknowledgements) is kept after it was raised. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RETENTION_ALERT_DAYS = 365;

  // --- operating (probes, metrics, shutdown)
  /** Port of the worker's probe and metrics server (/health, /ready, /metrics), on API_HOST. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_HTTP_PORT = 3003;

  /** If set, /metrics on every app answers only `Authorization: Bearer <this>`; empty leaves it open. */
  @IsString()
  METRICS_TOKEN = '';

  /** After SIGTERM, ms /ready answers 503 (liveness still 200) before the app stops taking work. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(120000)
  SHUTDOWN_DRAIN_MS = 5000;

  // --- tracing (OpenTelemetry; off unless OTEL_TRACES_ENABLED=true)
  /** true: api, worker and radio send traces (HTTP, PostgreSQL, Redis spans) over OTLP/HTTP. */
  @Transform(toBool)
  @IsBoolean()
  OTEL_TRACES_ENABLED = false;

  /** The collector's OTLP/HTTP base URL; traces go to <this>/v1/traces, as the OTLP spec says. */
  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, {
    message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s):// URL',
  })
  OTEL_EXPORTER_OTLP_ENDPOINT = 'http://127.0.0.1:4318';

  /** service.name on every span; empty names each app hub-api, hub-worker or hub-radio. */
  @ValidateIf((e: EnvSchema) => e.OTEL_SERVICE_NAME !== '')
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, {
    message: 'OTEL_SERVICE_NAME may hold letters, digits, dots, dashes and underscores',
  })
  OTEL_SERVICE_NAME = '';

  /** Share of new traces kept (0 to 1); a request that arrives with a sampled parent is kept. */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  OTEL_TRACES_SAMPLE_RATIO = 1;

  // --- log
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  @Transform(toBool)
  @IsBoolean()
  LOG_PRETTY = false;
}
