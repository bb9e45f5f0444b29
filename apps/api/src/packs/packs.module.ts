import { Module } from '@nestjs/common';
import { CasesApiModule } from '../cases/cases.module';
import { PackRateLimiter } from '../http/actor-rate-limiter';
import { PacksController } from './packs.controller';
import { PacksService } from './packs.service';
import { SigningKeysController } from './signing-keys.controller';

@Module({
  imports: [CasesApiModule],
  controllers: [PacksController, SigningKeysController],
  providers: [PacksService, PackRateLimiter],
})
export class PacksApiModule {}
