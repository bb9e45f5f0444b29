import { STATS_TYPES } from '@app/stats';

/**
 * The per-type counts of `stats_store_days` as rows (partnership_id, store_id, day, type, count,
 * and the store-day's value_pence),
 * one per store-day and type with a non-zero count: what tests compare against the raw reports.
 */
export const STORE_DAY_TYPE_COUNTS = `
  SELECT s.partnership_id, s.store_id, s.day, t.type, t.count, s.value_pence
    FROM stats_store_days s
   CROSS JOIN LATERAL (VALUES ${STATS_TYPES.map((type) => `('${type}', s.type_${type})`).join(', ')}) AS t(type, count)
   WHERE t.count <> 0`;
