/**
 * Viewing copies without metadata. The master is never touched: these work on a copy of its bytes.
 *
 * JPEG: drops APP1..APP15 (EXIF with GPS, XMP, IPTC/Photoshop, ICC, MPF) and COM segments, keeping
 * APP0 (JFIF), APP14 (Adobe colour transform) and everything the decoder needs, up to the first
 * image's EOI (previews appended after it, with their own EXIF, are left out). The EXIF
 * orientation goes with EXIF, so a rotated photo may display sideways.
 * PNG: drops eXIf, tEXt, zTXt, iTXt and tIME chunks.
 * HEIC, MP4 and PDF get no derivative yet (their metadata lives inside container structures that
 * need a real parser); they are not viewable inline until one exists.
 */
export function stripMetadata(mediaType: string, data: Buffer): Buffer | null {
  switch (mediaType) {
    case 'image/jpeg':
      return stripJpeg(data);
    case 'image/png':
      return stripPng(data);
    default:
      return null;
  }
}

const KEEP_APP = new Set([0xe0, 0xee]);

function stripJpeg(data: Buffer): Buffer {
  if (data[0] !== 0xff || data[1] !== 0xd8) {
    throw new Error('not a JPEG');
  }
  const out: Buffer[] = [data.subarray(0, 2)];
  let i = 2;
  while (i < data.length) {
    if (data[i] !== 0xff) {
      throw new Error('JPEG segment expected');
    }
    let marker = data[i + 1];
    // fill bytes
    while (marker === 0xff) {
      i++;
      marker = data[i + 1];
    }
    if (marker === 0xd9) {
      out.push(data.subarray(i, i + 2));
      break;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      out.push(data.subarray(i, i + 2));
      i += 2;
      continue;
    }
    const length = data.readUInt16BE(i + 2);
    const end = i + 2 + length;
    if (end > data.length) {
      throw new Error('JPEG segment overruns the file');
    }
    if (marker === 0xda) {
      // start of scan: its entropy-coded data runs to the next marker that is not a stuffed 00,
      // a restart or fill; progressive files have several scans, so carry on from that marker.
      // Nothing after the first image's EOI is copied (a camera's appended previews carry EXIF).
      let j = end;
      for (;;) {
        j = data.indexOf(0xff, j);
        if (j < 0 || j + 1 >= data.length) {
          throw new Error('JPEG scan runs past the end');
        }
        const m = data[j + 1];
        if (m === 0x00 || (m >= 0xd0 && m <= 0xd7)) {
          j += 2;
        } else if (m === 0xff) {
          j += 1;
        } else {
          break;
        }
      }
      out.push(data.subarray(i, j));
      i = j;
      continue;
    }
    const isApp = marker >= 0xe0 && marker <= 0xef;
    const isComment = marker === 0xfe;
    if (!(isApp && !KEEP_APP.has(marker)) && !isComment) {
      out.push(data.subarray(i, end));
    }
    i = end;
  }
  return Buffer.concat(out);
}

const DROP_PNG = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt', 'tIME']);

function stripPng(data: Buffer): Buffer {
  const out: Buffer[] = [data.subarray(0, 8)];
  let i = 8;
  while (i + 12 <= data.length) {
    const length = data.readUInt32BE(i);
    const type = data.subarray(i + 4, i + 8).toString('latin1');
    const end = i + 12 + length;
    if (end > data.length) {
      throw new Error('PNG chunk overruns the file');
    }
    if (!DROP_PNG.has(type)) {
      out.push(data.subarray(i, end));
    }
    i = end;
    if (type === 'IEND') {
      break;
    }
  }
  return Buffer.concat(out);
}
