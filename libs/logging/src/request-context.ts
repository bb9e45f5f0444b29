import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContextData {
  requestId: string;
  actorId?: string;
  partnershipId?: string;
  jobId?: string;
  queue?: string;
  jobName?: string;
}

const storage = new AsyncLocalStorage<RequestContextData>();

/** The request, job or socket event the current code runs for. */
export const RequestContext = {
  run<T>(data: RequestContextData, fn: () => T): T {
    return storage.run(data, fn);
  },
  /** Enters a context for the rest of the current async flow (Fastify hooks). */
  enter(data: RequestContextData): void {
    storage.enterWith(data);
  },
  current(): RequestContextData | undefined {
    return storage.getStore();
  },
  requestId(): string {
    return storage.getStore()?.requestId ?? 'none';
  },
  /** Adds the actor once authentication has run. */
  assign(data: Partial<RequestContextData>): void {
    const store = storage.getStore();
    if (store) {
      Object.assign(store, data);
    }
  },
};
