import { EvidenceExportProcessor } from './evidence-export.processor';

/** The evidence-export queue's processors, for the worker's PROCESSOR_CLASSES. */
export const EVIDENCE_EXPORT_PROCESSORS = [EvidenceExportProcessor];
