// Run metadata for latest.json (quality.md §8): git, machine, versions.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return r.status === 0 ? r.stdout.trim() : null;
}

export function gitInfo(root) {
  const commit = sh('git', ['rev-parse', 'HEAD'], { cwd: root });
  const status = sh('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root });
  return { commit, dirty: !!status, branch: sh('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: root }) };
}

export function machineInfo() {
  const cpus = os.cpus();
  let load = os.loadavg().map((x) => Math.round(x * 100) / 100);
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: `${os.type()} ${os.release()}`,
    hostname: os.hostname(),
    loadAverageAtStart: load,
    openFilesLimit: sh('sh', ['-c', 'ulimit -n']),
  };
}

export function versions(root) {
  const v = (name) => {
    try {
      return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      return null;
    }
  };
  const pgBin = '/usr/lib/postgresql/15/bin';
  return {
    node: process.version,
    nestjs: v('@nestjs/core'),
    fastify: v('fastify'),
    typeorm: v('typeorm'),
    pg: v('pg'),
    bullmq: v('bullmq'),
    ioredis: v('ioredis'),
    'socket.io': v('socket.io'),
    'socket.io-client': v('socket.io-client'),
    '@socket.io/redis-adapter': v('@socket.io/redis-adapter'),
    '@socket.io/redis-emitter': v('@socket.io/redis-emitter'),
    'class-validator': v('class-validator'),
    'class-transformer': v('class-transformer'),
    ws: v('ws'),
    autocannon: v('autocannon'),
    'hdr-histogram-js': v('hdr-histogram-js'),
    postgresql: sh(join(pgBin, 'postgres'), ['--version']),
    pgbench: sh(join(pgBin, 'pgbench'), ['--version']),
    redis: sh('redis-server', ['--version']),
  };
}
