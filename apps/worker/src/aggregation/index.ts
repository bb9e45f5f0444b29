import { AggregationProcessor } from './aggregation.processor';
import { IdempotencyPurgeProcessor } from './idempotency-purge.processor';

/** The report path's processors, for the worker's PROCESSOR_CLASSES. */
export const AGGREGATION_PROCESSORS = [AggregationProcessor, IdempotencyPurgeProcessor];
