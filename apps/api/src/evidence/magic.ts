import { fileTypeFromBuffer } from 'file-type';
import type { FileHandle } from 'node:fs/promises';

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
  switch (mediaType) {
    case 'image/jpeg': {
      const end = trimTrailingZeros(tail);
      if (end.length < 2 || end[end.length - 2] !== 0xff || end[end.length - 1] !== 0xd9) {
        return { mediaType: null, reason: 'the JPEG is truncated or has data after its end marker' };
      }
      return { mediaType };
    }
    case 'image/png': {
      const iend = Buffer.from('0000000049454e44ae426082', 'hex');
      if (!tail.subarray(-12).equals(iend)) {
        return { mediaType: null, reason: 'the PNG is truncated or has data after its IEND chunk' };
      }
      return { mediaType };
    }
    case 'application/pdf':
      if (!tail.toString('latin1').includes('%%EOF')) {
        return { mediaType: null, reason: 'the PDF is truncated (no %%EOF)' };
      }
      return { mediaType };
    case 'image/heic':
    case 'image/heif':
    case 'video/mp4':
      if (!(await boxesTile(file, size))) {
        return { mediaType: null, reason: 'the file is truncated or not a well-formed ISO media file' };
      }
      return { mediaType };
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
