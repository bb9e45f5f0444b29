import { crc32, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { buildIsoMedia, buildJpeg, buildPdf, buildPng, hostileCorpus } from '@app/testing';

/**
 * The S3 upload corpus (quality.md section 4): files that must never be accepted, whatever they
 * are called, plus hostile names on clean files, and clean files the hub must accept (a JPEG with
 * EXIF GPS, a PNG with a location text chunk) whose viewing copies must carry no location.
 *
 * `kind`:
 *  - `hostile`: the body is malicious or malformed; every upload route must refuse it.
 *  - `name`: a clean image under a hostile name; a route may refuse it or accept it, but the file
 *    must be stored under a generated name and the raw name never kept with path or bidi tricks.
 *  - `clean`: must be accepted (they show the routes work, so refusals above mean something).
 */
export interface CorpusFile {
  label: string;
  name: string;
  body: Buffer;
  kind: 'hostile' | 'name' | 'clean';
  /** what a MIME-fallback classifier would call it: the media type its name claims */
  claimedType: string | null;
  /** carries location metadata that the viewing copy must not */
  location?: boolean;
  /** extra request headers (e.g. a Content-Encoding the server must not honour) */
  headers?: Record<string, string>;
}

const CLAIM: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  heic: 'image/heic',
  mp4: 'video/mp4',
  pdf: 'application/pdf',
};

/** The type a classifier trusting the file name would assign (the S3 negative control). */
export function claimedType(name: string): string | null {
  const ext = name.split('.').pop()?.toLowerCase() ?? '';
  return CLAIM[ext] ?? null;
}

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head[0] = 0xff;
  head[1] = marker;
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

function isoBox(type: string, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(payload.length + 8);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, payload]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A structurally valid PNG of the given dimensions whose IDAT is a few bytes (pixel flood). */
export function pixelFloodPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(4096))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A baseline JPEG whose frame header claims `width` × `height` over a tiny scan. */
export function pixelFloodJpeg(width: number, height: number): Buffer {
  const sof = Buffer.from([8, 0, 0, 0, 0, 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0]);
  sof.writeUInt16BE(height, 1);
  sof.writeUInt16BE(width, 3);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    segment(0xdb, Buffer.alloc(65, 1)),
    segment(0xc0, sof),
    segment(0xc4, Buffer.alloc(20, 0)),
    segment(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])),
    Buffer.alloc(256, 0x12),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** A one-entry ZIP whose deflated member inflates `ratio`-fold (a zip bomb in miniature). */
export function zipBomb(inflatedBytes: number): Buffer {
  const raw = Buffer.alloc(inflatedBytes);
  const data = deflateRawSync(raw, { level: 9 });
  const name = Buffer.from('bomb.jpg');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(crc32(raw), 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(raw.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc32(raw), 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(raw.length, 24);
  central.writeUInt16LE(name.length, 28);
  const cdOffset = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

/**
 * A JPEG + ZIP polyglot whose ZIP comment is the JPEG's final FF D9, so the file both ends at an
 * EOI marker and opens as an archive (the GIFAR trick against a last-two-bytes check).
 */
export function jpegZipEndingAtEoi(): Buffer {
  const jpeg = buildJpeg({ seed: 61 });
  const zip = zipBomb(4096);
  // rewrite the end record: comment length 2, and the comment is FF D9
  const eocd = zip.length - 22;
  const patched = Buffer.from(zip);
  patched.writeUInt16LE(2, eocd + 20);
  // offsets inside the archive are relative to the start of the file: shift them by the JPEG
  const shift = jpeg.length - 2;
  const cdOffset = patched.readUInt32LE(eocd + 16);
  patched.writeUInt32LE(cdOffset + shift, eocd + 16);
  // and the central directory's pointer to the local header
  patched.writeUInt32LE(patched.readUInt32LE(cdOffset + 42) + shift, cdOffset + 42);
  return Buffer.concat([jpeg.subarray(0, jpeg.length - 2), patched, Buffer.from([0xff, 0xd9])]);
}

/** A PDF whose JavaScript action sits inside a Flate-compressed object stream. */
export function pdfWithCompressedJs(): Buffer {
  const objects = '3 0 << /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>';
  const packed = deflateSync(Buffer.from(objects, 'latin1'));
  const head = Buffer.from(
    `%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >> endobj\n` +
      `2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n` +
      `4 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${packed.length} >>\nstream\n`,
    'latin1',
  );
  const tail = Buffer.from(`\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1');
  return Buffer.concat([head, packed, tail]);
}

export function buildCorpus(limitBytes: number): CorpusFile[] {
  const jpeg = buildJpeg({ seed: 41 });
  const png = buildPng();
  const hostile = (label: string, name: string, body: Buffer, headers?: Record<string, string>) =>
    ({ label, name, body, kind: 'hostile', claimedType: claimedType(name), headers }) as CorpusFile;
  const named = (label: string, name: string, seed: number): CorpusFile => ({
    label,
    name,
    body: buildJpeg({ seed }),
    kind: 'name',
    claimedType: claimedType(name),
  });
  const base = hostileCorpus().map((f) => hostile(f.label, f.name, f.body));
  // exactly one byte over the limit, otherwise a good JPEG
  const over = buildJpeg({ seed: 43, size: limitBytes });
  const limitPlusOne = Buffer.concat([over.subarray(0, limitBytes - 1), Buffer.from([0xff, 0xd9])]).subarray(
    0,
    limitBytes + 1,
  );
  const exact = buildJpeg({ seed: 44, size: limitBytes });
  const exactLimit = Buffer.concat([exact.subarray(0, limitBytes - 2), Buffer.from([0xff, 0xd9])]);
  return [
    ...base,
    hostile(
      'GIF/JS polyglot (GIF89a header is a JS assignment)',
      'still.jpg',
      Buffer.concat([
        Buffer.from('GIF89a/*', 'latin1'),
        Buffer.from([0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]),
        Buffer.from('*/=1;alert(document.domain);//', 'latin1'),
        Buffer.from('2c00000000010001000002024401003b', 'hex'),
      ]),
    ),
    hostile(
      'GIF/HTML polyglot renamed .png',
      'still.png',
      Buffer.from('GIF89a<html><body><script>alert(1)</script></body></html>', 'latin1'),
    ),
    hostile(
      'JPEG/HTML polyglot: HTML inside the EXIF segment',
      'still.jpg',
      Buffer.concat([
        Buffer.from([0xff, 0xd8]),
        segment(0xe1, Buffer.from('Exif\0\0<html><body onload=alert(1)><script>alert(2)</script>', 'latin1')),
        jpeg.subarray(2),
      ]),
    ),
    hostile(
      'JPEG/HTML polyglot: iframe in a comment',
      'still.jpg',
      buildJpeg({ comment: '<iframe src=javascript:alert(1)>', seed: 45 }),
    ),
    hostile('JPEG/PHP polyglot', 'still.jpg', buildJpeg({ comment: '<?php system($_GET[0]); ?>', seed: 46 })),
    hostile(
      'JPEG/SVG polyglot: SVG after the image',
      'still.jpg',
      Buffer.concat([
        jpeg.subarray(0, jpeg.length - 2),
        Buffer.from('<svg onload=alert(1)>', 'latin1'),
        Buffer.from([0xff, 0xd9]),
      ]),
    ),
    hostile('JPEG + ZIP polyglot ending at FF D9 (ZIP comment trick)', 'still.jpg', jpegZipEndingAtEoi()),
    hostile(
      'PNG/HTML polyglot: script in a tEXt chunk',
      'still.png',
      Buffer.concat([
        png.subarray(0, 33),
        pngChunk('tEXt', Buffer.from('Comment\0<script>alert(1)</script>', 'latin1')),
        png.subarray(33),
      ]),
    ),
    hostile(
      'PNG with an archive after IEND',
      'still.png',
      Buffer.concat([png, Buffer.from('504b030414000000', 'hex'), Buffer.alloc(64, 3)]),
    ),
    hostile(
      'PNG + ZIP polyglot ending with a copy of the IEND chunk',
      'still.png',
      Buffer.concat([png, zipBomb(4096), png.subarray(-12)]),
    ),
    hostile(
      'PNG + ZIP polyglot: the archive in a private ancillary chunk',
      'still.png',
      Buffer.concat([png.subarray(0, -12), pngChunk('zIPp', zipBomb(4096)), png.subarray(-12)]),
    ),
    hostile(
      'pixel-flood PNG (100,000 × 100,000 in a few hundred bytes)',
      'still.png',
      pixelFloodPng(100_000, 100_000),
    ),
    hostile('pixel-flood JPEG (65,500 × 65,500)', 'still.jpg', pixelFloodJpeg(65_500, 65_500)),
    hostile('zip bomb (16 MiB of zeros deflated)', 'evidence.jpg', zipBomb(16 * 1024 * 1024)),
    hostile(
      'gzip bomb sent with Content-Encoding: gzip',
      'still.jpg',
      gzipSync(Buffer.alloc(16 * 1024 * 1024)),
      { 'content-encoding': 'gzip' },
    ),
    hostile('PDF with a Launch action', 'receipt.pdf', buildPdf('/OpenAction << /S /Launch /F (cmd.exe) >>')),
    hostile('PDF with Flash (RichMedia)', 'receipt.pdf', buildPdf('/AA << /O << /S /RichMedia >> >>')),
    hostile(
      'PDF with JavaScript under a hex-escaped name (/J#61vaScript)',
      'receipt.pdf',
      buildPdf('/OpenAction << /S /J#61vaScript /JS (app.alert\\(1\\)) >>'),
    ),
    hostile('PDF with JavaScript in a compressed object stream', 'receipt.pdf', pdfWithCompressedJs()),
    hostile('PDF/HTML polyglot', 'receipt.pdf', buildPdf('/Title (<html><script>alert(1)</script>)')),
    hostile(
      'MP4 carrying a script in its media data',
      'clip.mp4',
      Buffer.concat([
        buildIsoMedia('isom').subarray(0, 24),
        (() => {
          const payload = Buffer.from('<script>alert(1)</script>'.padEnd(64, ' '), 'latin1');
          const head = Buffer.alloc(8);
          head.writeUInt32BE(payload.length + 8);
          head.write('mdat', 4, 'latin1');
          return Buffer.concat([head, payload]);
        })(),
      ]),
    ),
    hostile(
      'MP4 with HTML in a free box (no marker the byte scan knows)',
      'clip.mp4',
      Buffer.concat([
        buildIsoMedia('isom').subarray(0, 24),
        isoBox(
          'free',
          Buffer.from('<body onload=alert(document.domain)><img src=x onerror=alert(1)>', 'latin1'),
        ),
        isoBox('mdat', Buffer.alloc(64, 0x42)),
      ]),
    ),
    hostile('truncated HEIC', 'photo.heic', buildIsoMedia('heic').subarray(0, 100)),
    hostile(
      'MP4 whose 64-bit box size points past the end',
      'clip.mp4',
      (() => {
        const ftyp = buildIsoMedia('isom').subarray(0, 24);
        const big = Buffer.alloc(16);
        big.writeUInt32BE(1, 0);
        big.write('mdat', 4, 'latin1');
        big.writeBigUInt64BE(1n << 40n, 8);
        return Buffer.concat([ftyp, big, Buffer.alloc(64)]);
      })(),
    ),
    hostile('truncated JPEG (cut in half)', 'still.jpg', jpeg.subarray(0, Math.floor(jpeg.length / 2))),
    hostile('JPEG start-of-image marker only', 'still.jpg', Buffer.from([0xff, 0xd8, 0xff])),
    hostile('0 bytes', 'still.jpg', Buffer.alloc(0)),
    hostile('1 byte', 'still.jpg', Buffer.from([0xff])),
    hostile('limit + 1 bytes (an otherwise good JPEG)', 'still.jpg', limitPlusOne),
    hostile(
      'Java class file renamed .jpg',
      'still.jpg',
      Buffer.concat([Buffer.from('cafebabe00000034', 'hex'), Buffer.alloc(120, 7)]),
    ),
    hostile(
      'HTML in UTF-16 renamed .jpg',
      'still.jpg',
      Buffer.from('\ufeff<html><script>alert(1)</script></html>', 'utf16le'),
    ),
    hostile(
      'SVG billion-laughs renamed .png',
      'still.png',
      Buffer.from(
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
      ),
    ),
    hostile(
      'gzip-compressed SVG (svgz) renamed .jpg',
      'still.jpg',
      gzipSync(Buffer.from('<svg onload="alert(1)"/>')),
    ),
    hostile(
      'EICAR test file renamed .jpg',
      'still.jpg',
      Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*', 'latin1'),
    ),
    hostile(
      'Windows shortcut (.lnk) renamed .png',
      'still.png',
      Buffer.concat([Buffer.from('4c0000000114020000000000c000000000000046', 'hex'), Buffer.alloc(60)]),
    ),
    named('name ../../etc/passwd', '../../etc/passwd', 51),
    named('name ../../etc/passwd.jpg (URI-encoded slashes)', '..%2F..%2Fetc%2Fpasswd.jpg', 52),
    named('name with a Windows path', 'C:\\Windows\\system32\\evil.jpg', 53),
    named('name with an RTL override (invoice\u202Egpj.exe)', 'invoice\u202Egpj.exe', 54),
    named('name with RTL isolate and NUL', 'photo\u2067gpj.exe\u0000.jpg', 55),
    named('name 1,000 characters long', `${'a'.repeat(996)}.jpg`, 56),
    {
      label: 'JPEG with EXIF GPS (accepted; viewing copy must have no GPS)',
      name: 'cctv-still.jpg',
      body: buildJpeg({ seed: 57 }),
      kind: 'clean',
      claimedType: 'image/jpeg',
      location: true,
    },
    {
      label: 'JPEG with an appended preview image carrying its own EXIF GPS (camera MPF style)',
      name: 'phone.jpg',
      body: Buffer.concat([buildJpeg({ seed: 58 }), buildJpeg({ seed: 59, size: 256 })]),
      kind: 'clean',
      claimedType: 'image/jpeg',
      location: true,
    },
    {
      label: 'PNG with a location text chunk (accepted; viewing copy must have none)',
      name: 'shelf.png',
      body: png,
      kind: 'clean',
      claimedType: 'image/png',
      location: true,
    },
    {
      label: 'JPEG of exactly the limit',
      name: 'big.jpg',
      body: exactLimit,
      kind: 'clean',
      claimedType: 'image/jpeg',
    },
  ];
}
