// E2: evidence pack peak RSS for a big vs a small case (200 vs 20 exhibits of 1 MB in full mode)
// and pack throughput vs B-copy (the same bytes through createReadStream -> createWriteStream).
// E3 is not measured (see its note). The work runs in packs-child.ts through ts-node.
import { fmt, pct, yesNo } from '../lib/harness.mjs';
import { ask, nextMessage, startTsChild } from '../lib/proc.mjs';
import { median, round } from '../lib/stats.mjs';

export const IDS = ['E2', 'E3'];

export async function run(ctx) {
  if (ctx.only.includes('E3')) {
    ctx.record({
      id: 'E3',
      met: 'not measured',
      note: 'needs the PDF render time alone; the pack builder renders the PDFs and zips in one child process with no entry point to time the PDFs separately',
    });
  }
  if (!ctx.only.includes('E2')) {
    return [];
  }
  const child = startTsChild(ctx, 'packs', 'bench/scenarios/packs-child.ts');
  await nextMessage(child, 'ready', 120_000);
  const { big, small, mb } = ctx.cfg.packs;
  const size = mb * 1024 * 1024;
  const go = (count, mode) => ask(child, { count, size, mode }, 'done', 600_000);
  await go(small, 'copy');
  await go(small, 'pack');
  const reps = { copy: [], big: [], small: [] };
  for (let i = 0; i < ctx.pairs; i++) {
    reps.copy.push(await go(big, 'copy'));
    reps.big.push(await go(big, 'pack'));
    reps.small.push(await go(small, 'pack'));
  }
  const rssBig = median(reps.big.map((r) => r.maxRssBytes)) / 1048576;
  const rssSmall = median(reps.small.map((r) => r.maxRssBytes)) / 1048576;
  const copyMbs = median(reps.copy.map((r) => r.mbPerS));
  const packMbs = median(reps.big.map((r) => r.mbPerS));
  const thr = packMbs / copyMbs;
  const rssRatio = rssBig / rssSmall;
  return [
    {
      id: 'E2',
      baselineText: `B-copy ${fmt(copyMbs, ' MB/s', 0)}; small pack (${small}×${mb} MB) peak RSS ${fmt(rssSmall, ' MB', 0)}`,
      measuredText: `${big}×${mb} MB pack ${fmt(packMbs, ' MB/s', 0)}, builder peak RSS ${fmt(rssBig, ' MB', 0)}`,
      ratioText: `${pct(thr)} of B-copy; RSS ${fmt(rssRatio, '×', 2)} small`,
      met: yesNo(thr >= 0.7 && rssRatio <= 1.2 && rssBig <= 64 + rssSmall),
      ratio: round(thr, 3),
      figures: { rssBigMb: round(rssBig, 1), rssSmallMb: round(rssSmall, 1), copyMbs: round(copyMbs, 1), packMbs: round(packMbs, 1) },
      reps,
      note: `buildPackInChildProcess as compiled in dist (PDFs + yazl, its own child process) on the pack tests' sample case with random 1 MB exhibits; peak RSS is the builder process's own (the whole process, not growth); the pack time includes the PDFs, so the throughput ratio is conservative${ctx.quick ? ` (quick run: ${big} vs ${small} exhibits)` : ''}`,
    },
  ];
}
