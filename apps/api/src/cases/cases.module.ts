import { Module } from '@nestjs/common';
import { CasesModule } from '@app/cases';
import { CasesController, StoreCasesController } from './cases.controller';
import { CasesService } from './cases.service';

@Module({
  imports: [CasesModule],
  controllers: [CasesController, StoreCasesController],
  providers: [CasesService],
  exports: [CasesService, CasesModule],
})
export class CasesApiModule {}
