import { Registry } from 'prom-client';
import type { Actor } from '@app/auth';
import { Role } from '@app/auth';
import type { Alert, AlertRepository, SharedAlertBatch } from '@app/alerts';
import type { AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/errors';
import { RadioMetrics } from './radio-metrics';
import { ReplayService } from './replay.service';

const PID = 'p1';
const actor = (id: string, role: Role, storeId: string | null): Actor =>
  ({ id, partnershipId: PID, kind: 'user', role, storeId, sessionId: `s-${id}` }) as Actor;
const alert = (seq: number, senderId: string | null = null): Alert =>
  ({
    id: `a${seq}`,
    seq: String(seq),
    senderId,
    senderKind: 'user',
    senderStoreId: null,
    message: '',
    targetKind: 'partnership',
    createdAt: new Date(0),
    expiresAt: new Date(0),
  }) as unknown as Alert;

/** The repository faked (a unit test of the queue): each query waits until the test lets it go. */
function fakeRepository() {
  const calls: { actorIds: readonly string[]; release: (b: SharedAlertBatch) => void; fail: (e: Error) => void }[] =
    [];
  const repo = {
    findAfterForStore: (_scope: unknown, actorIds: readonly string[]) =>
      new Promise<SharedAlertBatch>((release, fail) => calls.push({ actorIds, release, fail })),
    findAfter: () =>
      new Promise((release, fail) =>
        calls.push({
          actorIds: [],
          release: (b) => release({ alerts: b.rows.map((r) => r.alert), more: b.more }),
          fail,
        }),
      ),
  };
  return { repo: repo as unknown as AlertRepository, calls };
}

function service(repo: AlertRepository, concurrency = 1) {
  const config = {
    radio: { replayBatch: 10, replayConcurrency: concurrency, replayCoalesce: true, replayGatherMs: 0 },
    testDefects: new Set(),
  } as unknown as AppConfig;
  const metrics = new RadioMetrics(new Registry());
  return { replays: new ReplayService(repo, config, metrics), metrics };
}

const until = async (check: () => boolean) => {
  while (!check()) {
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('ReplayService under a connection storm', () => {
  it('queues beyond the concurrency and serves every socket of a store waiting meanwhile from one query', async () => {
    const { repo, calls } = fakeRepository();
    const { replays } = service(repo, 1);
    const first = replays.replay(actor('u0', Role.Shopworker, 'st1'), 'r', 0);
    await until(() => calls.length === 1);
    // the first query holds the only slot; a storm of the store's sockets queues behind it
    const storm = Array.from({ length: 50 }, (_, i) =>
      replays.replay(actor(`u${i + 1}`, Role.Shopworker, 'st1'), 'r', 0),
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(1);
    calls[0].release({ rows: [{ alert: alert(1), shared: true }], more: false });
    await until(() => calls.length === 2);
    expect(new Set(calls[1].actorIds).size).toBe(50);
    // u7 sent a2 to another store: only u7 hears it
    calls[1].release({
      rows: [
        { alert: alert(1), shared: true },
        { alert: alert(2, 'u7'), shared: false },
      ],
      more: false,
    });
    expect((await first).alerts.map((a) => a.seq)).toEqual([1]);
    const batches = await Promise.all(storm);
    batches.forEach((b, i) => expect(b.alerts.map((a) => a.seq)).toEqual(i + 1 === 7 ? [1, 2] : [1]));
    expect(calls).toHaveLength(2);
  });

  it('keeps staff, other stores and other positions in queries of their own', async () => {
    const { repo, calls } = fakeRepository();
    const { replays } = service(repo, 10);
    const all = [
      replays.replay(actor('c1', Role.Coordinator, null), 'r', 0),
      replays.replay(actor('c2', Role.Coordinator, null), 'r', 0),
      replays.replay(actor('u1', Role.Shopworker, 'st1'), 'r', 0),
      replays.replay(actor('u2', Role.Shopworker, 'st2'), 'r', 0),
      replays.replay(actor('u3', Role.Shopworker, 'st1'), 'r', 5),
    ];
    await until(() => calls.length === 4);
    for (const c of calls) {
      c.release({ rows: [], more: false });
    }
    await Promise.all(all);
    expect(calls).toHaveLength(4);
  });

  it('tries a failed query again, then answers SERVICE_UNAVAILABLE rather than failing the socket', async () => {
    const { repo, calls } = fakeRepository();
    const { replays } = service(repo, 1);
    const once = replays.replay(actor('u1', Role.Shopworker, 'st1'), 'r', 0);
    await until(() => calls.length === 1);
    calls[0].fail(new Error('timeout exceeded when trying to connect'));
    await until(() => calls.length === 2);
    calls[1].release({ rows: [{ alert: alert(1), shared: true }], more: false });
    expect((await once).alerts).toHaveLength(1);

    const never = replays.replay(actor('u2', Role.Shopworker, 'st1'), 'r', 0);
    for (let n = 3; n <= 6; n++) {
      await until(() => calls.length === n);
      calls[n - 1].fail(new Error('timeout exceeded when trying to connect'));
    }
    await expect(never).rejects.toEqual(expect.any(DomainError));
    await expect(never).rejects.toMatchObject({ code: ErrorCode.ServiceUnavailable });
  });
});
