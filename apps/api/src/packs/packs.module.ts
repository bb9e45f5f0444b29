import { Module } from '@nestjs/common';
import { CasesApiModule } from '../cases/cases.module';
import { PackRateLimiter } from '../http/actor-rate-limiter';
import { PacksController } from './packs.controller';

@Module({
  imports: [CasesApiModule],
  controllers: [PacksController],
  providers: [PackRateLimiter],
})
export class PacksApiModule {}
