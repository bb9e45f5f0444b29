import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AppConfig } from '@app/config';
import { Public } from '../auth/access.decorators';

export class ClientConfigResponse {
  /** the radio's socket.io server: same host as the api, this port and path, websocket only */
  radio: { port: number; path: string };
}

/** What the web client needs before sign-in: where the radio listens. Public and harmless. */
@ApiTags('client')
@Public()
@Controller('client-config')
export class ClientConfigController {
  constructor(private readonly config: AppConfig) {}

  @Get()
  @Header('cache-control', 'no-store')
  get(): ClientConfigResponse {
    return { radio: { port: this.config.radio.port, path: this.config.radio.path } };
  }
}
