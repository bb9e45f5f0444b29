import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { PacksController } from './packs.controller';

@Module({
  imports: [CasesModule],
  controllers: [PacksController],
})
export class PacksModule {}
