import type { DataSource } from 'typeorm';
import { log } from '@app/logging';
import { namedQuery } from './named-query';

/** Per partnership: the batch running now, and the one that will start after it. */
interface Lane {
  running?: Promise<void>;
  next?: Promise<void>;
}

const lanes = new WeakMap<DataSource, Map<string, Lane>>();

/**
 * Moves the partnership's committed access-log rows into the hash chain
 * (`access_log_chain_pending`, see the ChainAccessLogInBatches migration) and resolves once a batch
 * that started after this call has run, so the caller's own rows are chained. Calls that arrive
 * while a batch runs share the next one: one chain lock and one commit for all of them.
 *
 * A failed batch is logged and not thrown: the rows stay pending, committed, and the next batch of
 * the partnership (or a reader of the log) chains them.
 */
export function chainAccessLog(dataSource: DataSource, partnershipId: string): Promise<void> {
  let byPartnership = lanes.get(dataSource);
  if (!byPartnership) {
    lanes.set(dataSource, (byPartnership = new Map()));
  }
  const partnerships = byPartnership;
  let lane = partnerships.get(partnershipId);
  if (!lane) {
    partnerships.set(partnershipId, (lane = {}));
  }
  const l = lane;
  const start = (): Promise<void> =>
    (l.running = batch(dataSource, partnershipId).finally(() => {
      if (!l.next) {
        partnerships.delete(partnershipId);
      }
    }));
  if (!l.running) {
    return start();
  }
  return (l.next ??= l.running.then(() => {
    l.next = undefined;
    return start();
  }));
}

async function batch(dataSource: DataSource, partnershipId: string): Promise<void> {
  try {
    await namedQuery(dataSource, 'SELECT access_log_chain_pending($1)', [partnershipId]);
  } catch (err) {
    log().warn({ err }, 'access-log rows left pending for the next batch');
  }
}
