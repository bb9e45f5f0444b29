import { Module } from '@nestjs/common';
import { CaseRepository } from '@app/database';
import { CasesController, StoreCasesController } from './cases.controller';
import { CasesService } from './cases.service';

@Module({
  controllers: [CasesController, StoreCasesController],
  providers: [CasesService, CaseRepository],
  exports: [CasesService, CaseRepository],
})
export class CasesModule {}
