import { Module } from '@nestjs/common';
import { IncidentRollupRepository } from './incident-rollup.repository';
import { StatsRepository } from './stats.repository';

const PROVIDERS = [IncidentRollupRepository, StatsRepository];

@Module({
  providers: PROVIDERS,
  exports: PROVIDERS,
})
export class StatsModule {}
