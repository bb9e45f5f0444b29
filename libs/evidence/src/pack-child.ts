/**
 * The pack builder's own process: receives a PackPlan (plain JSON) over IPC, builds the ZIP, and
 * answers with the result or the error. PDF and zlib work stays off the worker's event loop.
 */
import { buildPack } from './pack-writer';
import type { PackPlan } from './plan';

process.once('message', (plan: PackPlan) => {
  buildPack(plan, (p) => process.send?.(p))
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
