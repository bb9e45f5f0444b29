import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import { type INestApplication, ValidationPipe } from '@nestjs/common';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LogController } from 'fastify';
import type { Logger } from 'pino';
import type { AppConfig } from '@app/config';
import { AllExceptionsFilter, validationError, withoutInputRules } from '@app/errors';
import { NestLoggerAdapter, RequestContext } from '@app/logging';
import { ApiModule } from './api.module';
import { bodyGuardHook } from './http/body-guard';
import { HubValidationPipe } from './http/validation.pipe';
import { radioConnectSources } from './client-config/radio-connect-src';
import { HttpMetrics } from './health/http-metrics';
import { SIGNING_KEYS_PATH } from './packs/signing-keys.controller';

const REQUEST_ID = /^[A-Za-z0-9-]{1,64}$/;

class PipeWithoutInputRules extends ValidationPipe {
  protected override async validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> {
    return withoutInputRules(await super.validate(object, options));
  }
}

/** Builds the api exactly as main.ts runs it; tests use the same function. */
export async function createApiApp(config: AppConfig, logger: Logger): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // One line per request comes from our onResponse hook, not Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // genReqId reads x-request-id itself; Fastify's requestIdHeader would trust any value.
    requestIdHeader: false,
    // Keep a caller's id only if it is short and plain; otherwise mint one.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    trustProxy: config.http.trustProxy.length ? config.http.trustProxy : false,
    bodyLimit: 1024 * 1024,
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.register(config), adapter, {
    bufferLogs: true,
  });
  app.useLogger(new NestLoggerAdapter(logger));
  await configureApp(app, config, logger);
  return app;
}

/** api/v1 before every route but the probes, /metrics and /.well-known; the OpenAPI generator applies it too. */
export function setRoutePrefix(app: INestApplication): void {
  app.setGlobalPrefix('api/v1', { exclude: ['health', 'ready', 'metrics', SIGNING_KEYS_PATH] });
}

/** The OpenAPI document served at /api/docs and written by `npm run openapi`. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Retail crime hub API')
      .setDescription(
        'Reporting, radio alerts, offender intelligence, police triage and statistics for BCRPs.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
}

export async function configureApp(
  app: NestFastifyApplication,
  config: AppConfig,
  logger: Logger,
): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const httpMetrics = app.get(HttpMetrics);
  // The request line's fields are fixed and name no person (ids, the route pattern, status, time):
  // it skips the redaction the free-form lines need, two thirds of a line's cost (bench H5).
  const requestLog = logger.child({}, { redact: [] });
  fastify.addHook('onRequest', (req, reply, done) => {
    void reply.header('x-request-id', req.id);
    RequestContext.run({ requestId: String(req.id) }, done);
  });
  fastify.addHook('preValidation', bodyGuardHook);
  fastify.addHook('onResponse', (req, reply, done) => {
    requestLog.info(
      {
        requestId: req.id,
        method: req.method,
        route: req.routeOptions.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
    // the route pattern, never req.url: no id or query string reaches a label
    httpMetrics.observe(req.method, req.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  // S5's negative control runs the api without helmet (TEST_DEFECTS=helmet-off, NODE_ENV=test only)
  if (!config.testDefects.has('helmet-off')) {
    await app.register(helmet, {
      contentSecurityPolicy: {
        directives: {
          frameAncestors: ["'none'"],
          // the web client's radio socket, on its own port of the same host
          connectSrc: ["'self'", ...(config.radio.sameOrigin ? [] : radioConnectSources(config.radio.port))],
        },
      },
      hsts: { maxAge: 365 * 24 * 3600, includeSubDomains: true },
    });
  }
  app.enableCors({
    origin: config.http.corsOrigins,
    credentials: false,
    exposedHeaders: ['x-request-id', 'retry-after'],
  });

  setRoutePrefix(app);
  // S2's negative control drops the shared input rules (TEST_DEFECTS=input-rules-off, NODE_ENV=test only)
  const Pipe = config.testDefects.has('input-rules-off') ? PipeWithoutInputRules : HubValidationPipe;
  app.useGlobalPipes(
    new Pipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      exceptionFactory: validationError,
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();

  const document = openApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });

  // The web client: the Vite build when present, else the first static page.
  const webRoot = [join(process.cwd(), 'apps/web/dist'), join(process.cwd(), 'apps/web/public')].find((d) =>
    existsSync(d),
  );
  if (webRoot) {
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: false });
  }
}
