import { SerialOffendersProcessor } from './serial-offenders.processor';

/** Offender intelligence processors, for the worker's PROCESSOR_CLASSES. */
export const SERIAL_OFFENDER_PROCESSORS = [SerialOffendersProcessor];
