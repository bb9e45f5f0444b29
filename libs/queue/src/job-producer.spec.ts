import { bulkByQueue } from './job-producer';
import { JobName, QueueName } from './jobs';

const P1 = '00000000-0000-4000-8000-000000000001';
const P2 = '00000000-0000-4000-8000-000000000002';
const rollup = (partnershipId: string, day: string, jobId: string) => ({
  name: JobName.RollupDay,
  data: { partnershipId, day, requestId: 'r' },
  jobId,
});
const subject = (subjectId: string, jobId: string) => ({
  name: JobName.RefreshSubject,
  data: { partnershipId: P1, subjectId, requestId: 'r' },
  jobId,
});

describe('bulkByQueue', () => {
  it('sends every job in order, grouped by queue, the coalesced ones with their deduplication key', () => {
    const bulk = bulkByQueue([
      rollup(P1, '2026-12-01', 'o1'),
      subject('s1', 'o2'),
      rollup(P2, '2026-12-01', 'o3'),
      rollup(P1, '2026-12-02', 'o4'),
      subject('s1', 'o5'),
    ]);
    expect(bulk.get(QueueName.Aggregation)?.map((j) => j.opts?.jobId)).toEqual(['o1', 'o3', 'o4']);
    expect(bulk.get(QueueName.Aggregation)?.map((j) => j.opts?.deduplication?.id)).toEqual([
      `fold-${P1}`,
      `fold-${P2}`,
      `fold-${P1}`,
    ]);
    expect(bulk.get(QueueName.Offenders)?.map((j) => j.opts?.jobId)).toEqual(['o2', 'o5']);
    expect(bulk.get(QueueName.Offenders)?.[0].opts?.deduplication).toBeUndefined();
  });

  it('sends nothing for no jobs', () => {
    expect(bulkByQueue([]).size).toBe(0);
  });
});
