import { Module } from '@nestjs/common';
import { AnalystKeyRepository } from './analyst-key.repository';
import { IncidentRollupRepository } from './incident-rollup.repository';
import { StatsRepository } from './stats.repository';

const PROVIDERS = [AnalystKeyRepository, IncidentRollupRepository, StatsRepository];

@Module({
  providers: PROVIDERS,
  exports: PROVIDERS,
})
export class StatsModule {}
