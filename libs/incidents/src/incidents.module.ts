import { Module } from '@nestjs/common';
import { ImpactStatementRepository } from './impact-statement.repository';
import { EvidenceRepository } from './evidence.repository';
import { IncidentAccess } from './incident-access';
import { IncidentRepository } from './incident.repository';
import { StatementRepository } from './statement.repository';

const PROVIDERS = [
  IncidentRepository,
  IncidentAccess,
  StatementRepository,
  ImpactStatementRepository,
  EvidenceRepository,
];

/** Reports and their amendments, witness statements and evidence exhibits. */
@Module({
  providers: PROVIDERS,
  exports: PROVIDERS,
})
export class IncidentsModule {}
