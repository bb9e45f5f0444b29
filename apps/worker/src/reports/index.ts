import { ReportsProcessor } from './reports.processor';

export const REPORT_PROCESSORS = [ReportsProcessor];
