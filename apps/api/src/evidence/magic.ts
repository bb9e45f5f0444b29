import { fileTypeFromBuffer } from 'file-type';
import type { FileHandle } from 'node:fs/promises';
import { constants as zlib, inflateSync } from 'node:zlib';

/** The evidence types the hub accepts, decided by content only (never the name or a header). */
export const ACCEPTED = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/heic': 'heic',
  'image/heif': 'heic',
  'video/mp4': 'mp4',
  'application/pdf': 'pdf',
} as const;
export type AcceptedType = keyof typeof ACCEPTED;

/** How many leading bytes the sniffer looks at. */
export const HEAD_BYTES = 64 * 1024;
/** How many trailing bytes the structural checks look at. */
export const TAIL_BYTES = 1024;

/**
 * Markup that makes a file a polyglot a browser might run. Long enough that random compressed
 * data almost never contains one by chance (case-insensitive).
 */
const MARKUP = [
  '<script',
  '<iframe',
  '<!doctype',
  '<html>',
  '<html ',
  '<svg ',
  '<svg>',
  '<?php',
  '<object',
  '<embed ',
];
/** PDF features that run code or carry other files (case-sensitive PDF names). */
const PDF_ACTIVE = ['/JavaScript', '/Launch', '/EmbeddedFile', '/RichMedia'];
/** More PDF features, looked for in PDFs only (short names would match random bytes elsewhere). */
const PDF_ONLY_ACTIVE = ['/XFA', '/GoToE', '/Encrypt'];

/**
 * Largest image accepted, in pixels (2^28, about 268 megapixels): a "pixel flood" claims huge
 * dimensions in a tiny file, and whoever decodes it (a browser, a pack viewer) allocates for them.
 */
export const MAX_PIXELS = 2 ** 28;
/** Most bytes unpacked from a PDF's compressed object streams while looking for active content. */
export const PDF_INFLATE_BUDGET = 64 * 1024 * 1024;

/** Scans a stream chunk by chunk for the markers, keeping a carry so none is split unseen. */
export class MarkerScanner {
  private carry = Buffer.alloc(0);
  private readonly longest = Math.max(...[...MARKUP, ...PDF_ACTIVE].map((m) => m.length));
  found: string | null = null;

  push(chunk: Buffer): void {
    if (this.found) {
      return;
    }
    const window = Buffer.concat([this.carry, chunk]);
    const lower = window.toString('latin1').toLowerCase();
    this.found = MARKUP.find((m) => lower.includes(m)) ?? null;
    if (!this.found) {
      const raw = window.toString('latin1');
      this.found = PDF_ACTIVE.find((m) => raw.includes(m)) ?? null;
    }
    this.carry = window.subarray(Math.max(0, window.length - this.longest + 1));
  }
}

export interface Verdict {
  mediaType: AcceptedType | null;
  /** why it was refused, safe to show */
  reason?: string;
}

/**
 * Type by magic bytes (file-type), then checks that the file is whole and not a polyglot:
 * JPEG must end at its EOI marker, PNG at IEND, PDF with %%EOF; MP4/HEIC boxes must tile the file.
 */
export async function classify(
  head: Buffer,
  tail: Buffer,
  size: number,
  file: FileHandle,
  markup: string | null,
): Promise<Verdict> {
  if (size === 0) {
    return { mediaType: null, reason: 'the file is empty' };
  }
  const detected = await fileTypeFromBuffer(head);
  const mime = detected?.mime as string | undefined;
  if (!mime || !(mime in ACCEPTED)) {
    return { mediaType: null, reason: `files of type ${mime ?? 'unknown'} are not accepted` };
  }
  const mediaType = mime as AcceptedType;
  if (markup) {
    return { mediaType: null, reason: `the file contains embedded active content (${markup})` };
  }
  if (await endsWithZipDirectory(file, size)) {
    return { mediaType: null, reason: 'the file is also a ZIP archive (a polyglot)' };
  }
  switch (mediaType) {
    case 'image/jpeg': {
      const end = trimTrailingZeros(tail);
      if (end.length < 2 || end[end.length - 2] !== 0xff || end[end.length - 1] !== 0xd9) {
        return { mediaType: null, reason: 'the JPEG is truncated or has data after its end marker' };
      }
      const problem = jpegProblem(await readAll(file, size));
      return problem ? { mediaType: null, reason: problem } : { mediaType };
    }
    case 'image/png': {
      const iend = Buffer.from('0000000049454e44ae426082', 'hex');
      if (!tail.subarray(-12).equals(iend)) {
        return { mediaType: null, reason: 'the PNG is truncated or has data after its IEND chunk' };
      }
      const problem = pngProblem(await readAll(file, size));
      return problem ? { mediaType: null, reason: problem } : { mediaType };
    }
    case 'application/pdf': {
      if (!tail.toString('latin1').includes('%%EOF')) {
        return { mediaType: null, reason: 'the PDF is truncated (no %%EOF)' };
      }
      const problem = pdfProblem(await readAll(file, size));
      return problem ? { mediaType: null, reason: problem } : { mediaType };
    }
    case 'image/heic':
    case 'image/heif':
    case 'video/mp4': {
      if (!(await boxesTile(file, size))) {
        return { mediaType: null, reason: 'the file is truncated or not a well-formed ISO media file' };
      }
      const tag = await isoMediaMarkup(file, 0, size);
      return tag
        ? { mediaType: null, reason: `the file contains markup outside its media data (${tag})` }
        : { mediaType };
    }
  }
}

function trimTrailingZeros(b: Buffer): Buffer {
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) {
    end--;
  }
  return b.subarray(0, end);
}

/** Walks the top-level ISO BMFF boxes: they must cover the file exactly, with sane types. */
async function boxesTile(file: FileHandle, size: number): Promise<boolean> {
  const header = Buffer.alloc(16);
  let offset = 0;
  let boxes = 0;
  while (offset < size) {
    if (size - offset < 8 || ++boxes > 10_000) {
      return false;
    }
    const { bytesRead } = await file.read(header, 0, 16, offset);
    if (bytesRead < 8) {
      return false;
    }
    let boxSize = header.readUInt32BE(0);
    const type = header.subarray(4, 8).toString('latin1');
    if (!/^[\x20-\x7e]{4}$/.test(type)) {
      return false;
    }
    if (boxSize === 1) {
      if (bytesRead < 16) {
        return false;
      }
      boxSize = Number(header.readBigUInt64BE(8));
    } else if (boxSize === 0) {
      boxSize = size - offset;
    }
    if (boxSize < 8 || offset + boxSize > size) {
      return false;
    }
    offset += boxSize;
  }
  return boxes > 0 && offset === size;
}

/** Boxes holding only other boxes: walked, so their children are judged one by one. */
const ISO_CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'moof', 'traf']);
/**
 * Media samples and sample tables: binary by nature (an HTML-tag pattern would match by chance),
 * left to the byte-wise MARKUP scan of the whole upload.
 */
const ISO_MEDIA = new Set(['mdat', 'stbl', 'trun']);
/** An HTML tag, comment, doctype or processing instruction (case-insensitive). */
const HTML_TAG = /<(?:[a-z][a-z0-9-]*(?:[\s/][^<>]{0,256})?>|!--|!doctype|\?xml|\?php)/i;

/**
 * HTML anywhere in an ISO media file (MP4, HEIC) outside its media data: every box is read
 * (free, skip, uuid, udta, meta, headers and any unknown type) except the samples and sample
 * tables. Returns the first tag found, or null. A child list that does not parse is read whole.
 */
async function isoMediaMarkup(file: FileHandle, from: number, to: number): Promise<string | null> {
  const header = Buffer.alloc(16);
  let offset = from;
  while (offset + 8 <= to) {
    const { bytesRead } = await file.read(header, 0, 16, offset);
    let boxSize = header.readUInt32BE(0);
    let payload = offset + 8;
    if (boxSize === 1 && bytesRead >= 16) {
      boxSize = Number(header.readBigUInt64BE(8));
      payload = offset + 16;
    } else if (boxSize === 0) {
      boxSize = to - offset;
    }
    const type = header.toString('latin1', 4, 8);
    if (boxSize < payload - offset || offset + boxSize > to) {
      return htmlTagIn(file, offset, to);
    }
    const found = ISO_CONTAINERS.has(type)
      ? await isoMediaMarkup(file, payload, offset + boxSize)
      : ISO_MEDIA.has(type)
        ? null
        : await htmlTagIn(file, payload, offset + boxSize);
    if (found) {
      return found;
    }
    offset += boxSize;
  }
  return offset < to ? htmlTagIn(file, offset, to) : null;
}

/** The first HTML tag in bytes [from, to) of the file, read in chunks with an overlap. */
async function htmlTagIn(file: FileHandle, from: number, to: number): Promise<string | null> {
  const CHUNK = 64 * 1024;
  const OVERLAP = 300;
  const chunk = Buffer.alloc(CHUNK + OVERLAP);
  for (let at = from; at < to; at += CHUNK) {
    const { bytesRead } = await file.read(chunk, 0, Math.min(CHUNK + OVERLAP, to - at), at);
    const tag = HTML_TAG.exec(chunk.toString('latin1', 0, bytesRead));
    if (tag) {
      return tag[0].slice(0, 40);
    }
  }
  return null;
}

/** ZIP's end-of-central-directory signature; readers look for it in the last 64 KiB + 22 bytes. */
const ZIP_EOCD = Buffer.from('504b0506', 'hex');
const ZIP_EOCD_WINDOW = 65_535 + 22;

/**
 * Whether an archive reader would open this file: its end-of-directory record sits where readers
 * look for it (a JPEG, PNG or PDF carrying a ZIP or JAR in its data or after it). Four fixed bytes in
 * a 64 KiB window: random data matches about once in 65,000 files.
 */
async function endsWithZipDirectory(file: FileHandle, size: number): Promise<boolean> {
  const length = Math.min(size, ZIP_EOCD_WINDOW);
  const window = Buffer.alloc(length);
  const { bytesRead } = await file.read(window, 0, length, size - length);
  return window.subarray(0, bytesRead).includes(ZIP_EOCD);
}

async function readAll(file: FileHandle, size: number): Promise<Buffer> {
  const data = Buffer.alloc(size);
  let at = 0;
  while (at < size) {
    const { bytesRead } = await file.read(data, at, size - at, at);
    if (bytesRead === 0) {
      break;
    }
    at += bytesRead;
  }
  return data.subarray(0, at);
}

/** Start-of-frame markers (C4 DHT, C8 JPG and CC DAC are not frames). */
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** Walks one JPEG from its SOI at `start`: the offset just past its EOI, or why it is refused. */
function jpegImageEnd(data: Buffer, start: number): number | string {
  let i = start + 2;
  let frame = false;
  let scan = false;
  while (i + 1 < data.length) {
    if (data[i] !== 0xff) {
      return 'the JPEG is malformed (bytes where a segment marker belongs)';
    }
    const marker = data[i + 1];
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0xd9) {
      return frame && scan ? i + 2 : 'the JPEG has no image data';
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    if (marker === 0x00 || marker === 0xd8 || i + 4 > data.length) {
      return 'the JPEG is malformed';
    }
    const length = data.readUInt16BE(i + 2);
    const next = i + 2 + length;
    if (length < 2 || next > data.length) {
      return 'the JPEG is truncated (a segment runs past the end)';
    }
    if (SOF.has(marker)) {
      if (length < 8) {
        return 'the JPEG is malformed (short frame header)';
      }
      const height = data.readUInt16BE(i + 5);
      const width = data.readUInt16BE(i + 7);
      if (width * height > MAX_PIXELS) {
        return `the image claims ${width} × ${height} pixels, more than the ${MAX_PIXELS} accepted`;
      }
      frame = true;
    }
    i = next;
    if (marker === 0xda) {
      scan = true;
      // entropy-coded data: runs to the next marker that is not a stuffed 00, a restart or fill
      for (;;) {
        i = data.indexOf(0xff, i);
        if (i < 0 || i + 1 >= data.length) {
          return 'the JPEG is truncated (no end marker)';
        }
        const m = data[i + 1];
        if (m === 0x00 || (m >= 0xd0 && m <= 0xd7)) {
          i += 2;
        } else if (m === 0xff) {
          i += 1;
        } else {
          break;
        }
      }
    }
  }
  return 'the JPEG is truncated (no end marker)';
}

/**
 * The whole JPEG structure, not just its last two bytes: segments, frame size, scans, and after
 * the EOI nothing but zero padding or further whole JPEGs (a camera's MPF previews). Anything else
 * after the image (an archive whose comment ends in FF D9, say) is refused.
 */
export function jpegProblem(data: Buffer): string | null {
  let at = 0;
  for (let images = 1; ; images++) {
    if (data[at] !== 0xff || data[at + 1] !== 0xd8) {
      return 'the JPEG has data after its end marker';
    }
    const end = jpegImageEnd(data, at);
    if (typeof end === 'string') {
      return end;
    }
    at = end;
    while (at < data.length && data[at] === 0) {
      at++;
    }
    if (at >= data.length) {
      return null;
    }
    if (images >= 8) {
      return 'the JPEG has data after its end marker';
    }
  }
}

/** PNG chunks walked by their lengths: a sane IHDR first, the first IEND at the very end. */
export function pngProblem(data: Buffer): string | null {
  if (data.length < 33 || data.toString('latin1', 12, 16) !== 'IHDR') {
    return 'the PNG is malformed (no IHDR chunk first)';
  }
  const width = data.readUInt32BE(16);
  const height = data.readUInt32BE(20);
  if (width === 0 || height === 0 || width * height > MAX_PIXELS) {
    return `the image claims ${width} × ${height} pixels, more than the ${MAX_PIXELS} accepted`;
  }
  let i = 8;
  while (i + 12 <= data.length) {
    const length = data.readUInt32BE(i);
    const type = data.toString('latin1', i + 4, i + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) {
      return 'the PNG is malformed (a chunk has no valid type)';
    }
    i += 12 + length;
    if (type === 'IEND') {
      return i === data.length ? null : 'the PNG has data after its IEND chunk';
    }
  }
  return 'the PNG is truncated (a chunk runs past the end)';
}

/** PDF name escapes (`/J#61vaScript` is `/JavaScript`), undone so names can be matched. */
function pdfNames(text: string): string {
  return text.replace(/#([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function pdfActive(text: string): string | null {
  const names = pdfNames(text);
  return [...PDF_ACTIVE, ...PDF_ONLY_ACTIVE].find((m) => names.includes(m)) ?? null;
}

/**
 * Active content in a PDF, including under escaped names and inside compressed object streams
 * (where a JavaScript action hides from a byte scan). Object streams are unpacked within a budget;
 * one packed with a filter other than Flate cannot be checked, so the file is refused.
 */
export function pdfProblem(data: Buffer): string | null {
  const text = data.toString('latin1');
  const found = pdfActive(text);
  if (found) {
    return found === '/Encrypt'
      ? 'the PDF is encrypted, so its content cannot be checked'
      : `the file contains embedded active content (${found})`;
  }
  let budget = PDF_INFLATE_BUDGET;
  for (const m of text.matchAll(/\bstream(\r\n|\n|\r)/g)) {
    const dictFrom = Math.max(text.lastIndexOf(' obj', m.index), m.index - 4096, 0);
    const dict = pdfNames(text.slice(dictFrom, m.index));
    if (!/\/Type\s*\/ObjStm\b/.test(dict)) {
      continue;
    }
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) {
      return 'the PDF is truncated (an object stream has no end)';
    }
    const filter = /\/Filter\s*(\[[^\]]*\]|\/[A-Za-z0-9]+)/.exec(dict)?.[1].replace(/[[\]\s]/g, '');
    let objects: Buffer;
    if (!filter) {
      objects = data.subarray(start, end);
    } else if (filter === '/FlateDecode') {
      try {
        objects = inflateSync(data.subarray(start, end), {
          maxOutputLength: Math.max(1, budget),
          finishFlush: zlib.Z_SYNC_FLUSH,
        });
      } catch (err) {
        return (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
          ? 'the PDF unpacks to more than the hub will check'
          : 'the PDF has a damaged object stream';
      }
    } else {
      return `the PDF packs objects with a filter the hub cannot check (${filter})`;
    }
    budget -= objects.length;
    const inside = pdfActive(objects.toString('latin1'));
    if (inside) {
      return `the file contains embedded active content (${inside}, in a compressed object stream)`;
    }
  }
  return null;
}
