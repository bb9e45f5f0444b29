import { Injectable, Module } from '@nestjs/common';
import { StatsModule, StatsRepository } from '@app/stats';
import { API_KEY_VERIFIER, type ApiKeyVerifier } from '../auth/access.decorators';
import type { ApiKeyPrincipal } from '../http/request';
import { AnalystKeysController } from './analyst-keys.controller';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';

/** Checks analyst API keys for the access guard (statistics routes only). */
@Injectable()
export class StatsApiKeyVerifier implements ApiKeyVerifier {
  constructor(private readonly repo: StatsRepository) {}

  verify(secret: string): Promise<ApiKeyPrincipal | null> {
    return this.repo.verifyApiKey(secret);
  }
}

@Module({
  imports: [StatsModule],
  controllers: [StatsController, AnalystKeysController],
  providers: [
    StatsService,
    StatsApiKeyVerifier,
    { provide: API_KEY_VERIFIER, useExisting: StatsApiKeyVerifier },
  ],
})
export class StatsApiModule {}
