import { type DynamicModule, Module } from '@nestjs/common';
import { AccessTokenService } from '@app/auth';
import { type AppConfig, ConfigModule } from '@app/config';
import { DatabaseModule, SessionRepository } from '@app/database';
import { RadioGateway } from './radio.gateway';

@Module({})
export class RadioModule {
  static register(config?: AppConfig): DynamicModule {
    return {
      module: RadioModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule],
      providers: [RadioGateway, AccessTokenService, SessionRepository],
    };
  }
}
