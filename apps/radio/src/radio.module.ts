import { type DynamicModule, Module } from '@nestjs/common';
import { AccessTokenService } from '@app/auth';
import { type AppConfig, ConfigModule } from '@app/config';
import { AlertsModule } from '@app/alerts';
import { DatabaseModule } from '@app/database';
import { MetricsModule, ShutdownDrain } from '@app/metrics';
import { TracingShutdown } from '@app/observability';
import { IdentityModule } from '@app/identity';
import { ALL_ENTITIES } from '@app/schema';
import { RedisModule } from '@app/redis';
import { ProbesController } from './probes.controller';
import { RadioMetrics } from './radio-metrics';
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
        MetricsModule.forRoot(),
        IdentityModule,
        AlertsModule,
      ],
      controllers: [ProbesController],
      // ShutdownDrain first in the root module: /ready turns 503 and drains before sockets close
      providers: [
        ShutdownDrain,
        TracingShutdown,
        RadioMetrics,
        RadioGateway,
        ReplayService,
        SocketRateLimiter,
        AccessTokenService,
      ],
    };
  }
}
