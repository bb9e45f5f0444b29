import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { PackRateLimiter } from '../http/actor-rate-limiter';
import { PacksController } from './packs.controller';

@Module({
  imports: [CasesModule],
  controllers: [PacksController],
  providers: [PackRateLimiter],
})
export class PacksModule {}
