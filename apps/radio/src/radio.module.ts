import { type DynamicModule, Module } from '@nestjs/common';
import { AccessTokenService } from '@app/auth';
import { type AppConfig, ConfigModule } from '@app/config';
import { AlertRepository, DatabaseModule, SessionRepository } from '@app/database';
import { RedisModule } from '@app/redis';
import { RadioGateway } from './radio.gateway';
import { ReplayService } from './replay.service';
import { SocketRateLimiter } from './socket-rate-limiter';

@Module({})
export class RadioModule {
  static register(config?: AppConfig): DynamicModule {
    return {
      module: RadioModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, RedisModule],
      providers: [
        RadioGateway,
        ReplayService,
        SocketRateLimiter,
        AccessTokenService,
        SessionRepository,
        AlertRepository,
      ],
    };
  }
}
