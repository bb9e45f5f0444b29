import sharp from 'sharp';
import { log } from '@app/logging';

/** A derivative's bytes and type, before it is stored. */
export interface Copy {
  data: Buffer;
  mediaType: string;
}

/** The viewing copy and the thumbnail made from one master. */
export interface ViewingCopies {
  view: Copy;
  thumbnail: Copy;
}

/** Longest edge of the viewing copy: enough for a screen, far less than a camera's master. */
export const VIEW_EDGE = 2048;
/** Longest edge of a thumbnail (about three times a list tile, for sharp high-density screens). */
export const THUMBNAIL_EDGE = 320;
/** A decompression bomb is refused before it is decoded (a 50-megapixel camera still passes). */
const MAX_INPUT_PIXELS = 100_000_000;

/**
 * Re-encodes an image with sharp, which writes no metadata unless asked: EXIF (GPS, serial
 * numbers), XMP, IPTC, comments and appended previews are all gone, and the EXIF orientation is
 * applied to the pixels first, so a phone photo stands the right way up. PNG stays PNG (lossless),
 * everything else becomes JPEG; thumbnails are always JPEG on white.
 *
 * HEIC: sharp's prebuilt libvips has libheif with AV1 only (no HEVC decoder, for patent reasons),
 * so an iPhone's HEIC does not decode and gets no copy; a libvips built with libde265 would make
 * one without a code change. MP4 and PDF get none. An image that does not decode keeps its master
 * (it is still evidence) and simply has no viewing copy.
 */
export async function makeViewingCopies(mediaType: string, data: Buffer): Promise<ViewingCopies | null> {
  if (!mediaType.startsWith('image/')) {
    return null;
  }
  try {
    const image = sharp(data, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS }).rotate();
    const fit = (edge: number) => ({
      width: edge,
      height: edge,
      fit: 'inside' as const,
      withoutEnlargement: true,
    });
    const png = mediaType === 'image/png';
    const view = png
      ? await image.clone().resize(fit(VIEW_EDGE)).png().toBuffer()
      : await image.clone().resize(fit(VIEW_EDGE)).jpeg({ quality: 85 }).toBuffer();
    const thumbnail = await image
      .clone()
      .resize(fit(THUMBNAIL_EDGE))
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 70 })
      .toBuffer();
    return {
      view: { data: view, mediaType: png ? 'image/png' : 'image/jpeg' },
      thumbnail: { data: thumbnail, mediaType: 'image/jpeg' },
    };
  } catch (err) {
    // the type only: the bytes and the file name may carry personal data
    log().warn({ mediaType, reason: (err as Error).message }, 'no viewing copy: the image does not decode');
    return null;
  }
}
