import { Module } from '@nestjs/common';
import { CasesApiModule } from '../cases/cases.module';
import { PackRateLimiter } from '../http/actor-rate-limiter';
import { PacksController } from './packs.controller';
import { PacksService } from './packs.service';

@Module({
  imports: [CasesApiModule],
  controllers: [PacksController],
  providers: [PacksService, PackRateLimiter],
})
export class PacksApiModule {}
