import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';

export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head[0] = 0xff;
  head[1] = marker;
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/**
 * An 8x8 grey baseline JPEG made by libjpeg: its tables, frame header, scan header and scan data,
 * without SOI and EOI. Real coded data, so sharp decodes the factory's files into viewing copies.
 */
const TINY_JPEG_BODY = Buffer.from(
  '/9sAQwAQCwwODAoQDg0OEhEQExgoGhgWFhgxIyUdKDozPTw5Mzg3QEhcTkBEV0U3OFBtUVdfYmdoZz5NcXlwZHhcZWdj' +
    '/9sAQwEREhIYFRgvGhovY0I4QmNjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2Nj' +
    '/8AAEQgACAAIAwEiAAIRAQMRAf/EABQAAQAAAAAAAAAAAAAAAAAAAAD/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFAEB' +
    'AAAAAAAAAAAAAAAAAAAAAP/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/AAAP',
  'base64',
);

/**
 * A decodable baseline JPEG (SOI, JFIF, EXIF with a GPS block, DQT, SOF0, DHT, SOS, scan data,
 * EOI) followed, before its EOI, by about `size` seeded bytes (never 0xFF, so no stray markers),
 * which a decoder skips and which make each seed a different file. `comment` adds a COM segment.
 */
export function buildJpeg(opts: { size?: number; comment?: string; seed?: number } = {}): Buffer {
  const exif = Buffer.concat([
    Buffer.from('Exif\0\0MM\0*\0\0\0\x08', 'latin1'),
    Buffer.from('GPSLatitude 51.5072 N GPSLongitude 0.1276 W SerialNumber CAM-0042', 'latin1'),
  ]);
  const padding = Buffer.alloc(opts.size ?? 2048);
  let x = opts.seed ?? 7;
  for (let i = 0; i < padding.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    padding[i] = x & 0xfe;
  }
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    segment(0xe1, exif),
    ...(opts.comment ? [segment(0xfe, Buffer.from(opts.comment, 'latin1'))] : []),
    TINY_JPEG_BODY,
    padding,
    Buffer.from([0xff, 0xd9]),
  ]);
}

/**
 * A phone photo as a camera writes it: `width` x `height` pixels stored sideways (the left half
 * red, the right half blue) with EXIF orientation 6 ("rotate 90° clockwise to display"), GPS
 * coordinates and a camera serial number. Shown the right way up it is `height` x `width`, red on
 * top.
 */
export async function buildOrientedPhoto(width = 60, height = 40): Promise<Buffer> {
  const half = Math.floor(width / 2);
  const base = sharp({ create: { width, height, channels: 3, background: { r: 0, g: 0, b: 255 } } });
  const red = await sharp({
    create: { width: half, height, channels: 3, background: { r: 255, g: 0, b: 0 } },
  })
    .png()
    .toBuffer();
  return base
    .composite([{ input: red, left: 0, top: 0 }])
    .withExif({
      IFD0: { Make: 'HubCam', Model: 'Till 1' },
      IFD2: { BodySerialNumber: 'CAM-0042' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 30/1 2592/100',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 7/1 3936/100',
      },
    })
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/**
 * Whether an EXIF block (as sharp's metadata().exif gives it: "Exif\0\0" then TIFF) points at a GPS
 * IFD: tag 0x8825 in IFD0. Enough to tell a located photo from a clean one.
 */
export function exifHasGps(exif: Buffer | undefined): boolean {
  if (!exif || exif.length < 14) {
    return false;
  }
  const tiff = exif.subarray(exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? 6 : 0);
  const le = tiff.subarray(0, 2).toString('latin1') === 'II';
  const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const ifd0 = u32(4);
  const count = u16(ifd0);
  for (let i = 0; i < count; i++) {
    if (u16(ifd0 + 2 + i * 12) === 0x8825) {
      return true;
    }
  }
  return false;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A PNG with a tEXt chunk carrying location metadata. */
export function buildPng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', ihdr),
    chunk('tEXt', Buffer.from('Comment\0GPS 51.5072N 0.1276W', 'latin1')),
    chunk('IDAT', Buffer.from('789c63f8cfc0f01f0005000201', 'hex')),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function buildPdf(extra = ''): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R ${extra}>> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
    'latin1',
  );
}

function box(type: string, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(payload.length + 8);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, payload]);
}

/** An ISO media file: ftyp with the given brand, then a media data box. */
export function buildIsoMedia(brand: 'isom' | 'heic', mdatBytes = 256): Buffer {
  const ftyp = Buffer.concat([
    Buffer.from(brand, 'latin1'),
    Buffer.from([0, 0, 2, 0]),
    Buffer.from(brand === 'heic' ? 'mif1heic' : 'isommp41', 'latin1'),
  ]);
  return Buffer.concat([box('ftyp', ftyp), box('mdat', Buffer.alloc(mdatBytes, 0x42))]);
}

/** Files that must never be accepted, each with the name a hostile client would give it. */
export function hostileCorpus(): { label: string; name: string; body: Buffer }[] {
  const jpeg = buildJpeg({ seed: 99 });
  const elf = Buffer.concat([Buffer.from('7f454c46020101000000000000000000', 'hex'), Buffer.alloc(200, 1)]);
  const pe = Buffer.alloc(512, 0);
  pe.write('MZ', 0, 'latin1');
  pe.writeUInt32LE(0x80, 0x3c);
  pe.write('PE\0\0', 0x80, 'latin1');
  return [
    {
      label: 'JPEG with HTML after EOI (polyglot)',
      name: 'still.jpg',
      body: Buffer.concat([jpeg, Buffer.from('<html><script>alert(1)</script></html>')]),
    },
    {
      label: 'JPEG with script in a comment (polyglot)',
      name: 'still.jpg',
      body: buildJpeg({ comment: '*/<script>alert(document.cookie)</script>/*' }),
    },
    {
      label: 'JPEG + ZIP (GIFAR-style polyglot)',
      name: 'still.jpg',
      body: Buffer.concat([jpeg, Buffer.from('504b0304140000000000', 'hex'), Buffer.alloc(64, 1)]),
    },
    {
      label: 'PDF with JavaScript',
      name: 'receipt.pdf',
      body: buildPdf('/OpenAction << /S /JavaScript /JS (app.alert(1)) >>'),
    },
    {
      label: 'PDF with an embedded file',
      name: 'receipt.pdf',
      body: buildPdf('/Names << /EmbeddedFiles << >> >> /EmbeddedFile'),
    },
    { label: 'Windows executable renamed .jpg', name: 'cctv.jpg', body: pe },
    { label: 'ELF executable renamed .mp4', name: 'clip.mp4', body: elf },
    {
      label: 'shell script renamed .pdf',
      name: 'statement.pdf',
      body: Buffer.from('#!/bin/sh\nrm -rf / --no-preserve-root\n'),
    },
    {
      label: 'SVG with script',
      name: 'still.svg',
      body: Buffer.from(
        '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      ),
    },
    {
      label: 'SVG renamed .png',
      name: 'still.png',
      body: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    },
    {
      label: 'HTML renamed .jpg',
      name: 'still.jpg',
      body: Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>'),
    },
    {
      label: 'GIF (not an accepted type)',
      name: 'still.gif',
      body: Buffer.from('474946383961010001000000002c00000000010001000002024401003b', 'hex'),
    },
    {
      label: 'ZIP archive',
      name: 'evidence.zip',
      body: Buffer.concat([Buffer.from('504b0304140000000000', 'hex'), Buffer.alloc(100, 0)]),
    },
    { label: 'truncated JPEG (no EOI)', name: 'still.jpg', body: jpeg.subarray(0, jpeg.length - 40) },
    { label: 'truncated PNG (no IEND)', name: 'still.png', body: buildPng().subarray(0, 40) },
    { label: 'truncated PDF (no %%EOF)', name: 'receipt.pdf', body: buildPdf().subarray(0, 60) },
    {
      label: 'truncated MP4 (box overruns the file)',
      name: 'clip.mp4',
      body: buildIsoMedia('isom').subarray(0, 120),
    },
    {
      label: 'QuickTime MOV (not MP4)',
      name: 'clip.mp4',
      body: Buffer.concat([
        box('ftyp', Buffer.from('qt  \0\0\0\0qt  ', 'latin1')),
        box('mdat', Buffer.alloc(16)),
      ]),
    },
  ];
}
