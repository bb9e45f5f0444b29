// J2/J3 subject, one process (forked by queue.mjs): BullMQ 6 against the bench Redis.
// {type:'noop', concurrency, jobs}: addBulk `jobs` no-op jobs, then a Worker at `concurrency`
//   drains them; jobs/s from the worker's start to the last completion.
// {type:'fn', jobs, concurrency, mode:'bull'|'direct'}: ~10 ms jobs (awaited timer + JSON work)
//   through BullMQ vs the same function called in process at the same concurrency.
// {type:'latency', rate, seconds}: add one job at a time at `rate`/s; add→completed minus the
//   job's own time, as an HDR histogram.
// {type:'enqueue', mode:'single'|'bulk', jobs}: jobs/s of adding `jobs` jobs with add() awaited in
//   a loop vs addBulk in batches of 50 (no worker).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { histogram, summarizeUs, encodeHistogram } from '../lib/stats.mjs';

const require = createRequire(join(process.env.BENCH_ROOT, 'package.json'));
const { Queue, Worker } = require('bullmq');
const IORedis = require('ioredis');

const url = process.env.REDIS_URL;
const prefix = 'bench-q';
const nowUs = () => Number(process.hrtime.bigint() / 1000n);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The ~10 ms job: a timer (the I/O a real job awaits) and a little CPU. */
export async function tenMsJob(data) {
  await sleep(9);
  let acc = 0;
  const s = JSON.stringify(data);
  for (let i = 0; i < 200; i++) {
    acc += JSON.parse(s).n ?? 0;
  }
  return acc;
}

function conn() {
  return new IORedis(url, { maxRetriesPerRequest: null });
}

async function drain(name, concurrency, jobs, processor, data = () => ({})) {
  const queue = new Queue(name, { connection: conn(), prefix });
  await queue.obliterate({ force: true }).catch(() => undefined);
  for (let i = 0; i < jobs; i += 500) {
    const n = Math.min(500, jobs - i);
    await queue.addBulk(
      Array.from({ length: n }, (_, k) => ({
        name: 'j',
        data: data(i + k),
        opts: { removeOnComplete: true, removeOnFail: true },
      })),
    );
  }
  let done = 0;
  let t0;
  const finished = new Promise((resolve) => {
    const worker = new Worker(name, processor, { connection: conn(), prefix, concurrency, autorun: false });
    worker.on('completed', () => {
      done += 1;
      if (done === jobs) {
        resolve(worker);
      }
    });
    t0 = process.hrtime.bigint();
    void worker.run();
  });
  const worker = await finished;
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  await worker.close();
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  return { jobs, seconds: secs, jobsPerSecond: jobs / secs };
}

async function direct(jobs, concurrency) {
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs) {
        const i = next++;
        await tenMsJob({ n: i });
      }
    }),
  );
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  return { jobs, seconds: secs, jobsPerSecond: jobs / secs };
}

async function latency(rate, seconds) {
  const name = 'bench-latency';
  const queue = new Queue(name, { connection: conn(), prefix });
  await queue.obliterate({ force: true }).catch(() => undefined);
  const h = histogram();
  const total = histogram();
  const worker = new Worker(
    name,
    async (job) => {
      const s = nowUs();
      await tenMsJob(job.data);
      return { workUs: nowUs() - s };
    },
    { connection: conn(), prefix, concurrency: 50 },
  );
  let completed = 0;
  worker.on('completed', (job, rv) => {
    const all = nowUs() - job.data.t0;
    total.recordValue(Math.max(1, all));
    h.recordValue(Math.max(1, all - rv.workUs));
    completed += 1;
  });
  const n = Math.max(1, Math.round(rate * seconds));
  const gapUs = 1e6 / rate;
  const start = nowUs();
  for (let i = 0; i < n; i++) {
    const due = start + i * gapUs;
    const wait = due - nowUs();
    if (wait > 1000) {
      await sleep(wait / 1000);
    }
    await queue.add('j', { n: i, t0: nowUs() }, { removeOnComplete: true, removeOnFail: true });
  }
  const until = Date.now() + 15000;
  while (completed < n && Date.now() < until) {
    await sleep(20);
  }
  await worker.close();
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  return { added: n, completed, rate, overhead: summarizeUs(h), total: summarizeUs(total), histogram: encodeHistogram(h) };
}

async function enqueue(mode, jobs) {
  const queue = new Queue('bench-enqueue', { connection: conn(), prefix });
  await queue.obliterate({ force: true }).catch(() => undefined);
  const opts = { removeOnComplete: true, removeOnFail: true };
  const t0 = process.hrtime.bigint();
  if (mode === 'bulk') {
    for (let i = 0; i < jobs; i += 50) {
      await queue.addBulk(
        Array.from({ length: Math.min(50, jobs - i) }, (_, k) => ({ name: 'j', data: { n: i + k }, opts })),
      );
    }
  } else {
    for (let i = 0; i < jobs; i++) {
      await queue.add('j', { n: i }, opts);
    }
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  return { mode, jobs, seconds: secs, jobsPerSecond: jobs / secs };
}

process.on('message', async (m) => {
  try {
    let r;
    if (m.type === 'noop') {
      r = await drain(`bench-noop-${m.concurrency}`, m.concurrency, m.jobs, async () => undefined);
    } else if (m.type === 'fn') {
      r =
        m.mode === 'direct'
          ? await direct(m.jobs, m.concurrency)
          : await drain('bench-fn', m.concurrency, m.jobs, (job) => tenMsJob(job.data), (i) => ({ n: i }));
    } else if (m.type === 'latency') {
      r = await latency(m.rate, m.seconds);
    } else if (m.type === 'enqueue') {
      r = await enqueue(m.mode, m.jobs);
    }
    process.send({ type: 'done', ...r });
  } catch (err) {
    process.send({ type: 'error', message: String(err?.stack ?? err) });
  }
});
process.send({ type: 'ready' });
