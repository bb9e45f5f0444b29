import { Module } from '@nestjs/common';
import { EvidenceRepository } from './evidence.repository';
import { IncidentRepository } from './incident.repository';
import { StatementRepository } from './statement.repository';

const PROVIDERS = [EvidenceRepository, IncidentRepository, StatementRepository];

@Module({
  providers: PROVIDERS,
  exports: PROVIDERS,
})
export class IncidentsModule {}
