// H3/H4 subject, run as a child process.
// H3 (VALIDATE=1|0): Nest + FastifyAdapter with one route, POST /incidents taking the real
//   CreateIncidentRequest, the database stubbed (answers 201 with an id). VALIDATE=1 installs the
//   api's global pipe (HubValidationPipe) with the api's options; VALIDATE=0 none. Same route,
//   same body, same adapter.
// H4 (MICRO=1): on the real DTO, already transformed, in a tight loop: class-validator's validate
//   (VALIDATOR=class-validator) or the api's compiled validator (VALIDATOR=compiled), ops/s.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { incidentBody } from '../lib/body.mjs';

const root = process.env.BENCH_ROOT;
const require = createRequire(join(root, 'package.json'));
const { CreateIncidentRequest } = require(join(root, 'dist/apps/api/apps/api/src/incidents/dto/incident.dto.js'));
const { plainToInstance } = require('class-transformer');
const { validate } = require('class-validator');
const { CompiledValidation } = require(join(root, 'dist/apps/api/libs/errors/src/compiled-validation.js'));
const { HubValidationPipe } = require(join(root, 'dist/apps/api/apps/api/src/http/validation.pipe.js'));
const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

if (process.env.MICRO === '1') {
  const dto = plainToInstance(CreateIncidentRequest, incidentBody());
  if ((await validate(dto, OPTIONS)).length) {
    throw new Error('the bench body does not validate');
  }
  const compiled = new CompiledValidation();
  const once =
    process.env.VALIDATOR === 'compiled'
      ? async () => {
          if (!compiled.isValid(dto)) {
            throw new Error('the compiled validator refused the bench body');
          }
        }
      : async () => {
          if ((await validate(dto, OPTIONS)).length) {
            throw new Error('the bench body does not validate');
          }
        };
  for (let i = 0; i < 2000; i++) {
    await once();
  }
  const seconds = Number(process.env.MICRO_S ?? 3);
  const until = process.hrtime.bigint() + BigInt(seconds * 1e9);
  let n = 0;
  const t0 = process.hrtime.bigint();
  while (process.hrtime.bigint() < until && n < 5_000_000) {
    await once();
    n += 1;
  }
  const ns = Number(process.hrtime.bigint() - t0);
  process.send({ type: 'result', ops: n / (ns / 1e9), usPerOp: ns / 1000 / n, n }, () => process.exit(0));
} else {
  const { Body, Controller, HttpCode, Module, Post } = require('@nestjs/common');
  const { NestFactory } = require('@nestjs/core');
  const { FastifyAdapter } = require('@nestjs/platform-fastify');

  class IncidentsStubController {
    report(body) {
      // the stubbed database: what the service would hand back
      return { id: randomUUID(), storeId: body.storeId ?? null, status: 'submitted' };
    }
  }
  const d = Object.getOwnPropertyDescriptor(IncidentsStubController.prototype, 'report');
  Reflect.defineMetadata('design:paramtypes', [CreateIncidentRequest], IncidentsStubController.prototype, 'report');
  Body()(IncidentsStubController.prototype, 'report', 0);
  Post('incidents')(IncidentsStubController.prototype, 'report', d);
  HttpCode(201)(IncidentsStubController.prototype, 'report', d);
  Controller()(IncidentsStubController);
  class StubModule {}
  Module({ controllers: [IncidentsStubController] })(StubModule);

  const app = await NestFactory.create(StubModule, new FastifyAdapter({ bodyLimit: 1024 * 1024 }), { logger: false });
  if (process.env.VALIDATE === '1') {
    app.useGlobalPipes(new HubValidationPipe({ ...OPTIONS, transform: true }));
  }
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
}
