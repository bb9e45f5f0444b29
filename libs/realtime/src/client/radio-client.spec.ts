import { EventEmitter } from 'node:events';
import type { Socket } from 'socket.io-client';
import type { AlertPayload, ReplayBatch } from '../events';
import { RadioClient } from './radio-client';

/** socket.io-client's socket, faked (a third party, in a unit test): the radio answers replays from `pages`. */
class FakeSocket extends EventEmitter {
  connected = false;
  asked: (number | null)[] = [];
  constructor(private readonly answer: (afterSeq: number | null) => ReplayBatch) {
    super();
  }
  connect(): this {
    this.connected = true;
    super.emit('connect');
    super.emit('replay', this.answer(null));
    return this;
  }
  disconnect(): this {
    this.connected = false;
    return this;
  }
  override emit(event: string, ...args: unknown[]): boolean {
    if (event === 'replay') {
      const [req, done] = args as [{ afterSeq: number | null }, (res: unknown) => void];
      this.asked.push(req.afterSeq);
      done({ ok: true, data: this.answer(req.afterSeq) });
    }
    return true;
  }
}

const alert = (seq: number) => ({ id: `a${seq}`, seq }) as AlertPayload;
const page = (from: number, to: number, more: boolean): ReplayBatch =>
  ({ alerts: Array.from({ length: to - from + 1 }, (_, i) => alert(from + i)), more }) as ReplayBatch;

function clientOf(socket: FakeSocket): { client: RadioClient; shown: number[] } {
  const client = new RadioClient(() => socket as unknown as Socket, {
    url: 'x',
    path: '/radio',
    token: () => 't',
  });
  const shown: number[] = [];
  client.on('alert', (a) => shown.push(a.seq));
  return { client, shown };
}

describe('RadioClient replay paging', () => {
  it('asks for each next page after the last alert shown, then goes live', async () => {
    const socket = new FakeSocket((after) =>
      after === null ? page(1, 3, true) : after === 3 ? page(4, 6, true) : page(7, 7, false),
    );
    const { client, shown } = clientOf(socket);
    await client.connect();
    expect(socket.asked).toEqual([3, 6]);
    expect(shown).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('a radio that sends the same page again ends the replay instead of looping on it', async () => {
    // a broken radio that ignores afterSeq and claims more (for 20 asks, so a looping client ends)
    const socket: FakeSocket = new FakeSocket((): ReplayBatch => page(1, 3, socket.asked.length < 20));
    const { client, shown } = clientOf(socket);
    await client.connect();
    expect(socket.asked).toEqual([3]);
    expect(shown).toEqual([1, 2, 3]);
  });

  it('an empty first page with more (a busy radio) makes a fresh client ask for the replay itself', async () => {
    // the radio could not read the replay at connect (RADIO_REPLAY_* retries spent): alerts: [], more
    const socket: FakeSocket = new FakeSocket(
      (): ReplayBatch => (socket.asked.length === 0 ? { alerts: [], more: true } : page(1, 2, false)),
    );
    const { client, shown } = clientOf(socket);
    await client.connect();
    expect(socket.asked).toEqual([null]);
    expect(shown).toEqual([1, 2]);
  });
});
