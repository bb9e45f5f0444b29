/**
 * The pack builder's own process: receives a PackPlan (plain JSON) over IPC, builds the ZIP, and
 * answers with the result or the error. PDF and zlib work stays off the worker's event loop.
 */
import type { PackPlan } from './plan';
import { BUILDER_NICE, lowerPriority } from './priority';

// Before anything else: loading the builder's modules (PDF fonts, storage) is most of a small
// pack's CPU time.
lowerPriority(BUILDER_NICE);
// a worker that died cannot take the pack: stop with it
process.once('disconnect', () => process.exit(1));

process.once('message', (plan: PackPlan) => {
  import('./pack-writer')
    .then(({ buildPack }) => buildPack(plan, (p) => process.send?.(p)))
    .then((result) => process.send?.({ type: 'done', result }, undefined, {}, () => process.exit(0)))
    .catch((err: unknown) =>
      process.send?.(
        { type: 'failed', message: err instanceof Error ? err.message : String(err) },
        undefined,
        {},
        () => process.exit(1),
      ),
    );
});
