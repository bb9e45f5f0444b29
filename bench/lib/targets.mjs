// Every target of quality.md §2, as written there, with its baseline. The runner prints a row for
// each; a row no scenario measured says why.
export const TARGETS = [
  ['H1', 'B-http', 'Nest + FastifyAdapter `GET /health` ≥ 80% of B-http req/s; p99 ≤ 1.3× B-http (100 conns, -p 1)'],
  ['H2', 'Nest+Express', 'Nest + Fastify ≥ 1.5× Nest + Express on the same route (regression guard)'],
  ['H3', 'no validation', '`POST /incidents` with validation and the DB stubbed ≥ 85% of the same route without validation'],
  ['H4', 'class-validator', 'Chosen validator ≥ 50× class-validator ops/s on the real incident DTO, ≤ 5 µs per DTO'],
  ['H5', 'no logging', 'One async pino line per request costs ≤ 10% req/s'],
  ['D1', 'B-pg', 'Full `POST /incidents` ≥ 50% of B-pg req/s at 50 conns (stretch 65%); p99 ≤ 2× B-pg'],
  ['D2', 'B-pgbench', 'B-pg ≥ 40% of B-pgbench tps'],
  ['D3', 'absolute', 'At 70% of the full POST\'s max rate: p95 ≤ 25 ms, p99 ≤ 60 ms (absolute)'],
  ['D4', 'one-row INSERT', 'Bulk import via COPY ≥ 20× one-row-per-transaction INSERT rows/s, ≥ 2× 500-row multi-row INSERT'],
  ['D5', 'raw pg multi-row', 'TypeORM `insert().values(500 rows)` ≥ 60% of raw `pg` multi-row rows/s'],
  ['Q1', 'B-scan', 'Serial-offender detection over 1M incidents: full recompute < 1.5 s and ≤ 5× B-scan'],
  ['Q2', 'absolute', 'Incremental check per new incident: p95 < 5 ms'],
  ['Q3', 'raw-table query', 'Stats over 10M rows from rollups: p95 < 20 ms, ≥ 100× faster than from the raw table'],
  ['Q4', 'absolute', 'Folding 10k new incidents into the rollups ≤ 250 ms; POST throughput drops ≤ 10% meanwhile'],
  ['Q5', 'serial Q1', 'With `max_parallel_workers_per_gather=1`, Q1 ≤ 0.65× serial'],
  ['J1', 'add() loop', '`addBulk` (50 per batch) ≥ 5× the jobs/s of `add()` in a loop'],
  ['J2', 'c=1', 'No-op worker, concurrency 50, one process: ≥ 3,000 jobs/s (provisional), ≥ 2× concurrency 1'],
  ['J3', 'B-fn', '~10 ms jobs: ≥ 80% of B-fn; at 50% load, add→completed overhead p50 ≤ 5 ms, p99 ≤ 25 ms'],
  ['J4', 'pipelining off', 'Leave `enableAutoPipelining` off on workers unless a same-run A/B shows ≥ +10%'],
  ['J5', 'D3 alone', 'Pack jobs sandboxed, ≤ 1 per core; D3\'s p99 grows ≤ 20% while one builds'],
  ['W1', 'B-ws', '1,000 sockets: emit→last-receive p99 < 50 ms'],
  ['W2', 'B-ws', '5,000 sockets: p50 < 100 ms, p99 < 250 ms, p99 ≤ 1.5× B-ws'],
  ['W3', 'absolute', '5,000 sockets × 1 alert/s: server CPU ≤ 35% of a core, event-loop delay p99 ≤ 20 ms'],
  ['W4', 'B-ws', 'RSS per idle connection ≤ 2× B-ws, ≤ 50 KB'],
  ['W5', 'one instance', 'Two instances with the Redis adapter, 5k sockets split 50/50: p99 ≤ 1.3× single-instance; added p50 ≤ 3 ms'],
  ['W6', 'classic adapter', 'Sharded adapter: messages to instances with no room member = 0; Redis CPU at 500 alerts/s ≤ 15%'],
  ['W7', 'pub/sub adapter', 'Streams adapter: a Redis restart mid 60 s stream loses 0 alerts; p99 ≤ 1.5× pub/sub adapter'],
  ['W8', 'absolute', 'Burst of 10 alerts in 100 ms to 5,000 sockets: all arrive, in order per socket, within 1 s of the last emit'],
  ['E1', '1-page doc', 'Streamed PDFKit, 10 pages, 2 tables, 4 JPEGs: ≥ 8 docs/s on one core, ≤ 15× a 1-page text-only doc'],
  ['E2', 'B-copy', 'ZIP pack: peak RSS growth ≤ 64 MB and independent of size, RSS(big) ≤ 1.2× RSS(small); throughput ≥ 70% of B-copy'],
  ['E3', 'B-copy + PDF', 'A 500-file, 200 MB pack takes ≤ 2× (B-copy + PDF time)'],
  ['C1', 'B-pg', 'End-to-end `POST /incidents` with 500 tablets on 2 radio instances: ≥ 30% of B-pg req/s, p99 ≤ 100 ms, alert received p99 ≤ 150 ms after the 201'],
];

/** The rows this harness sets out to measure (the brief's list); the others say so. */
export const IN_SCOPE = new Set(['H1', 'H3', 'H4', 'D1', 'D2', 'D3', 'J1', 'J2', 'J3', 'W1', 'W2', 'W4', 'W5', 'W8', 'C1', 'Q1', 'Q2', 'Q3', 'Q4', 'E2', 'E3']);
