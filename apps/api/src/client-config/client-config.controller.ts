import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '@app/config';
import { Public } from '../auth/access.decorators';
import {} from '../http/openapi';

export class RadioEndpointResponse {
  /** null: the page's own origin (a reverse proxy forwards `path` to the radios) */
  @ApiProperty({
    type: Number,
    nullable: true,
    description: "null: the page's own origin (a reverse proxy forwards `path` to the radios)",
  })
  port: number | null;
  @ApiProperty({ type: String })
  path: string;
}

export class ClientConfigResponse {
  /** the radio's socket.io server: same host as the api, this port and path, websocket only */
  @ApiProperty({
    type: () => RadioEndpointResponse,
    description: "the radio's socket.io server: same host as the api, this port and path, websocket only",
  })
  radio: RadioEndpointResponse;
}

/** What the web client needs before sign-in: where the radio listens. Public and harmless. */
@ApiTags('client')
@Public()
@Controller('client-config')
export class ClientConfigController {
  constructor(private readonly config: AppConfig) {}

  @Get()
  @Header('cache-control', 'no-store')
  @ApiOkResponse({ type: ClientConfigResponse })
  get(): ClientConfigResponse {
    const { port, path, sameOrigin } = this.config.radio;
    return { radio: { port: sameOrigin ? null : port, path } };
  }
}
