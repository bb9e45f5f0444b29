import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIsoMedia } from '@app/testing';
import { classify, HEAD_BYTES, MarkerScanner, TAIL_BYTES } from './magic';

function box(type: string, payload: Buffer | string): Buffer {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'latin1');
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length + 8);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

const ftyp = () => buildIsoMedia('isom').subarray(0, 24);
const mdat = (bytes = Buffer.alloc(256, 0x42)) => box('mdat', bytes);

/** classify() as the upload runs it: the byte-wise scan of the whole stream, then the checks. */
async function verdict(data: Buffer) {
  const dir = mkdtempSync(join(tmpdir(), 'magic-'));
  const path = join(dir, 'f');
  writeFileSync(path, data);
  const scanner = new MarkerScanner();
  scanner.push(data);
  const file = await open(path, 'r');
  try {
    return await classify(
      data.subarray(0, HEAD_BYTES),
      data.subarray(-TAIL_BYTES),
      data.length,
      file,
      scanner.found,
    );
  } finally {
    await file.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('classify: ISO media (MP4, HEIC)', () => {
  it('accepts clean files, with empty free boxes, vendor text and media data that looks like a tag', async () => {
    expect((await verdict(buildIsoMedia('isom'))).mediaType).toBe('video/mp4');
    expect((await verdict(buildIsoMedia('heic'))).mediaType).toBe('image/heic');
    const moov = box('moov', Buffer.concat([box('mvhd', Buffer.alloc(100)), box('udta', 'Lavf60.3.100')]));
    const file = Buffer.concat([
      ftyp(),
      box('free', ''),
      box('free', 'IsoMedia File Produced by Google, 5-11-2011'),
      moov,
      // `<b>` inside compressed samples is chance, not markup
      mdat(Buffer.from('\x00\x01<b>\x02\x03'.repeat(40), 'latin1')),
    ]);
    expect(await verdict(file)).toEqual({ mediaType: 'video/mp4' });
  });

  it.each([
    ['HTML in a top-level free box', [box('free', '<body onload=alert(1)>hello</body>')]],
    ['an image tag in a skip box', [box('skip', '<img src=x onerror=alert(1)>')]],
    ['HTML in user data inside moov', [box('moov', box('udta', box('\xa9nam', '<a href=javascript:x>')))]],
    ['HTML in a free box nested in a track', [box('moov', box('trak', box('free', '<div><p>x</p>')))]],
    ['an HTML comment in a uuid box', [box('uuid', `${'0'.repeat(16)}<!-- -->`)]],
    ['a tag in an unknown box type', [box('junk', '<meta http-equiv=refresh content=0>')]],
  ])('refuses %s', async (_label, boxes) => {
    const v = await verdict(Buffer.concat([ftyp(), ...boxes, mdat()]));
    expect(v.mediaType).toBeNull();
    expect(v.reason).toMatch(/markup outside its media data/);
  });

  it('finds a tag that straddles two read chunks of a large free box', async () => {
    const payload = Buffer.concat([Buffer.alloc(64 * 1024 - 5, 0x20), Buffer.from('<body onload=x>')]);
    const v = await verdict(Buffer.concat([ftyp(), box('free', payload), mdat()]));
    expect(v.reason).toMatch(/<body onload=x>/);
  });
});
