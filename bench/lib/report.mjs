// bench/RESULTS.md: the machine, the run, and one row per target (ID, target, baseline, measured,
// ratio, met).
const cell = (s) => String(s ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');

export function renderMarkdown(doc) {
  const { run, machine, versions, config, seeds, benchmarks, summary } = doc;
  const lines = [];
  lines.push('# Benchmark results');
  lines.push('');
  if (run.mode === 'quick') {
    lines.push(
      `> **Quick run** (\`npm run bench -- --quick\`: small N, one A/B pair, short durations).` +
        (run.label ? ` ${run.label}` : '') +
        ' Figures from a quick run check that the harness works; they are not the published figures.',
    );
    lines.push('');
  }
  lines.push(
    `Run \`${run.id}\` · mode **${run.mode}** · ${run.start} → ${run.end} (${run.seconds} s) · commit \`${(run.git.commit ?? '').slice(0, 12)}\`${run.git.dirty ? ' (dirty tree)' : ''} · \`${run.command}\``,
  );
  lines.push('');
  lines.push(
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB} GiB RAM, ${machine.kernel}; load average at start ${machine.loadAverageAtStart.join(' / ')}; open-files limit ${machine.openFilesLimit}.`,
  );
  lines.push('');
  lines.push(
    `Versions: Node ${versions.node}, NestJS ${versions.nestjs}, Fastify ${versions.fastify}, TypeORM ${versions.typeorm}, pg ${versions.pg}, BullMQ ${versions.bullmq}, ioredis ${versions.ioredis}, socket.io ${versions['socket.io']} + redis-adapter ${versions['@socket.io/redis-adapter']}, ws ${versions.ws}, autocannon ${versions.autocannon}; ${versions.postgresql}; ${versions.redis?.split(' ').slice(0, 3).join(' ')}.`,
  );
  lines.push('');
  lines.push(
    `Config: PostgreSQL ${Object.entries(config.postgres)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}; Redis ${Object.entries(config.redis)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}; pairs ${config.pairs}; master seed ${seeds.master}.`,
  );
  lines.push('');
  lines.push('Ratios are candidate ÷ baseline from the same run (median of the interleaved pairs; spread = (max−min)/median over the pairs). Latencies in ms from HDR histograms.');
  lines.push('');
  for (const w of run.warnings ?? []) {
    lines.push(`> Warning: ${w}`);
    lines.push('');
  }
  if (run.error) {
    lines.push(`> **The run failed:** ${run.error}`);
    lines.push('');
  }
  lines.push('| ID | Target (quality.md) | Baseline | Measured | Ratio | Met |');
  lines.push('|---|---|---|---|---|---|');
  for (const b of benchmarks) {
    lines.push(
      `| ${b.id} | ${cell(b.target)} | ${cell(b.baselineText ?? b.baselineId)} | ${cell(b.measuredText ?? '')} | ${cell(b.ratioText ?? '')} | ${cell(metText(b, run.mode))} |`,
    );
  }
  lines.push('');
  lines.push(
    `Summary: ${summary.met} met, ${summary.missed} missed, ${summary.notMeasured} not measured${summary.timedOut ? `, ${summary.timedOut} timed out` : ''}${summary.void ? `, ${summary.void} void (generator CPU above 80% of a core)` : ''}.`,
  );
  lines.push('');
  const notes = benchmarks.filter((b) => b.note && b.met !== 'not measured');
  if (notes.length) {
    lines.push('Notes:');
    lines.push('');
    for (const b of notes) {
      lines.push(`- **${b.id}**: ${b.note}`);
    }
    lines.push('');
  }
  lines.push('Full figures (every repetition, histograms, CPU, RSS, seeds): `bench/results/latest.json` of the run.');
  lines.push('');
  return lines.join('\n');
}

function metText(b, mode) {
  if (b.met === 'not measured') {
    return `not measured: ${b.note ?? 'no scenario'}`;
  }
  const met = mode === 'quick' ? `${b.met} (quick-run sizes)` : b.met;
  return b.void ? `${met} (void: generator CPU ${b.generatorCpuPct}%)` : met;
}
