import { StatsRepository } from '@app/database';
import { ReportsProcessor } from './reports.processor';

export const REPORT_PROCESSORS = [ReportsProcessor];
export const REPORT_PROVIDERS = [StatsRepository];
