import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { DomainError, ERROR_STATUS, ErrorCode } from '@app/errors';
import { log } from '@app/logging';
import { notReadyReason, Readiness, scrape, unreachable } from '@app/metrics';
import { JobProducer, QueueName } from '@app/queue';

/**
 * The worker's only HTTP surface, on API_HOST:WORKER_HTTP_PORT: `/health` (the process is up),
 * `/ready` (PostgreSQL and Redis answer and no shutdown has begun) and `/metrics` (Prometheus).
 * Answers in the api's shapes: `{status}` and the one error body.
 */
@Injectable()
export class WorkerHttpServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;

  constructor(
    private readonly config: AppConfig,
    private readonly registry: Registry,
    private readonly readiness: Readiness,
    private readonly producer: JobProducer,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** The bound port (WORKER_HTTP_PORT, or the ephemeral one when that is 0). */
  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  async onApplicationBootstrap(): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        log().error({ err }, 'worker probe failed');
        if (!res.headersSent) {
          this.error(res, ErrorCode.Internal, 'Internal error');
        } else {
          res.end();
        }
      });
    });
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.ops.workerHttpPort, this.config.http.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    log().info({ port: this.port }, 'worker probes listening');
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) {
      return;
    }
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return this.error(res, ErrorCode.NotFound, 'Not found');
    }
    switch (path) {
      case '/health':
        return this.json(res, 200, { status: 'ok' });
      case '/ready': {
        const down = this.readiness.accepting
          ? await unreachable({
              postgres: () => this.db.query('SELECT 1'),
              redis: () => this.producer.queue(QueueName.Aggregation).getJobCounts('waiting'),
            })
          : [];
        const reason = notReadyReason(this.readiness.accepting, down);
        return reason
          ? this.error(res, ErrorCode.ServiceUnavailable, reason)
          : this.json(res, 200, { status: 'ok', checks: { postgres: 'up', redis: 'up' } });
      }
      case '/metrics': {
        const scraped = await scrape(this.registry, this.config, req.headers.authorization).catch(
          (err: unknown) => err as DomainError,
        );
        if (scraped instanceof DomainError) {
          return this.error(res, scraped.code, scraped.message);
        }
        res.writeHead(200, { 'content-type': scraped.contentType });
        res.end(scraped.body);
        return;
      }
      default:
        return this.error(res, ErrorCode.NotFound, 'Not found');
    }
  }

  /** The one error body of every app (statusCode, code, message, requestId). */
  private error(res: ServerResponse, code: ErrorCode, message: string): void {
    const statusCode = ERROR_STATUS[code];
    this.json(res, statusCode, { statusCode, code, message, requestId: randomUUID() });
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }
}
