import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { CasesModule } from '@app/cases';
import { IncidentsModule } from '@app/incidents';
import { EvidenceController } from './evidence.controller';
import { EvidenceService } from './evidence.service';
import { EvidenceStore } from './evidence-store';

@Module({
  imports: [IncidentsModule, CasesModule],
  controllers: [EvidenceController],
  providers: [EvidenceService, EvidenceStore],
})
export class EvidenceApiModule implements OnModuleInit {
  constructor(private readonly adapter: HttpAdapterHost) {}

  /**
   * Raw uploads reach the handler as the request stream: no buffering and no Fastify body limit
   * (the evidence limit is enforced while streaming). Any other unparsed type stays a 415.
   */
  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify && !fastify.hasContentTypeParser('application/octet-stream')) {
      fastify.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
    }
  }
}
