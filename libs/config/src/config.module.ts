import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AppConfig } from './app-config';

@Global()
@Module({})
export class ConfigModule {
  /** Provides AppConfig: the given one (tests) or the process environment validated once. */
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useFactory: () => config ?? AppConfig.fromProcess() }],
      exports: [AppConfig],
    };
  }
}
