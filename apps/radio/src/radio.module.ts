import { type DynamicModule, Module } from '@nestjs/common';
import { AccessTokenService } from '@app/auth';
import { type AppConfig, ConfigModule } from '@app/config';
import { AlertsModule } from '@app/alerts';
import { DatabaseModule } from '@app/database';
import { IdentityModule } from '@app/identity';
import { ALL_ENTITIES } from '@app/schema';
import { RedisModule } from '@app/redis';
import { RadioGateway } from './radio.gateway';
import { ReplayService } from './replay.service';
import { SocketRateLimiter } from './socket-rate-limiter';

@Module({})
export class RadioModule {
  static register(config?: AppConfig): DynamicModule {
    return {
      module: RadioModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(ALL_ENTITIES),
        RedisModule,
        IdentityModule,
        AlertsModule,
      ],
      providers: [RadioGateway, ReplayService, SocketRateLimiter, AccessTokenService],
    };
  }
}
