// Child processes the bench starts: tracked by PID, killed by PID at a deadline, CPU and RSS read
// from /proc (pidstat is not on every machine; /proc gives the same utime+stime figures).
import { spawn, fork } from 'node:child_process';
import { openSync, readFileSync, mkdirSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const CLK_TCK = 100;

/** Every child still alive, by PID. */
const live = new Map();

export function liveChildren() {
  return [...live.values()];
}

/**
 * Starts a child with its output in a log file. `group` tags it so a scenario's deadline can kill
 * just the children it started.
 */
export function start(name, cmd, args, { env, cwd, logDir, group = 'run', ipc = false, execArgv = [] } = {}) {
  mkdirSync(logDir, { recursive: true });
  const logPath = join(logDir, `${name}.log`);
  const fd = openSync(logPath, 'a');
  const stdio = ipc ? ['ignore', fd, fd, 'ipc'] : ['ignore', fd, fd];
  const child = ipc
    ? fork(args[0], args.slice(1), { env, cwd, stdio, execPath: cmd, execArgv })
    : spawn(cmd, args, { env, cwd, stdio });
  closeSync(fd);
  const entry = { name, pid: child.pid, child, group, logPath, exited: false, code: null };
  live.set(child.pid, entry);
  child.on('exit', (code, signal) => {
    entry.exited = true;
    entry.code = code ?? signal;
    live.delete(child.pid);
  });
  child.on('error', () => undefined);
  return entry;
}

/** A TypeScript child (ts-node, the repo's path aliases) that talks over IPC: the query and pack scenarios. */
export function startTsChild(ctx, name, file) {
  return start(name, process.execPath, [join(ctx.root, file)], {
    env: { ...ctx.env, BENCH_ROOT: ctx.root, TS_NODE_PROJECT: join(ctx.root, 'tsconfig.json') },
    cwd: ctx.root,
    logDir: ctx.logDir,
    group: ctx.group,
    ipc: true,
    execArgv: ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register'],
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the PID has exited. */
export async function stop(entry, graceMs = 5000) {
  if (!entry || entry.exited) {
    return;
  }
  const done = new Promise((r) => entry.child.once('exit', r));
  try {
    process.kill(entry.pid, 'SIGTERM');
  } catch {
    return;
  }
  const t = setTimeout(() => {
    try {
      process.kill(entry.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, graceMs);
  await done;
  clearTimeout(t);
}

/** Kills by PID every live child of a group (or all), hard. Returns their names. */
export function killGroup(group) {
  const killed = [];
  for (const e of live.values()) {
    if (group && e.group !== group) {
      continue;
    }
    try {
      process.kill(e.pid, 'SIGKILL');
      killed.push(`${e.name}(${e.pid})`);
    } catch {
      /* already gone */
    }
  }
  return killed;
}

/** utime+stime of a PID in seconds, or null once it is gone. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

/** CPU seconds the whole machine has been busy (every core, kernel included) since boot. */
export function machineBusySeconds() {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  const [user, nice, system, , , irq, softirq, steal] = cpu.trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / CLK_TCK;
}

/** Resident set size of a PID in bytes. */
export function rssBytes(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Measures CPU use of PIDs across an async section: percent of one core for each. */
export async function withCpu(pids, fn) {
  const before = pids.map(cpuSeconds);
  const t0 = process.hrtime.bigint();
  const result = await fn();
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const pct = pids.map((p, i) => {
    const after = cpuSeconds(p);
    return after === null || before[i] === null ? null : Math.round(((after - before[i]) / secs) * 1000) / 10;
  });
  return { result, cpuPct: pct, seconds: secs };
}

/** Polls a URL until it answers 2xx (with `anyStatus`, until it answers at all), within `timeoutMs`. */
export async function waitHttp(url, timeoutMs, entry, { anyStatus = false } = {}) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (entry?.exited) {
      throw new Error(`${entry.name} exited (${entry.code}) before ${url} answered; see ${entry.logPath}`);
    }
    const ok = await fetch(url, { signal: AbortSignal.timeout(2000) })
      .then((r) => anyStatus || r.ok)
      .catch(() => false);
    if (ok) {
      return;
    }
    await sleep(200);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** Waits for one IPC message from a child matching `type`, within `timeoutMs`. */
export function nextMessage(entry, type, timeoutMs) {
  return new Promise((resolve, reject) => {
    const onMsg = (m) => {
      if (m && m.type === 'error') {
        cleanup();
        reject(new Error(`${entry.name}: ${m.message}`));
      } else if (m && m.type === type) {
        cleanup();
        resolve(m);
      }
    };
    const onExit = (code) => {
      cleanup();
      reject(new Error(`${entry.name} exited (${code}) while waiting for ${type}; see ${entry.logPath}`));
    };
    const t = setTimeout(() => {
      cleanup();
      reject(new Error(`${entry.name}: no ${type} within ${timeoutMs} ms`));
    }, timeoutMs);
    function cleanup() {
      clearTimeout(t);
      entry.child.off('message', onMsg);
      entry.child.off('exit', onExit);
    }
    entry.child.on('message', onMsg);
    entry.child.once('exit', onExit);
  });
}

/** Sends a command to an IPC child and waits for its answer of the given type. */
export function ask(entry, message, replyType, timeoutMs) {
  const p = nextMessage(entry, replyType, timeoutMs);
  entry.child.send(message);
  return p;
}
