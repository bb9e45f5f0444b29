import sharp from 'sharp';
import { buildJpeg, buildOrientedPhoto, buildPng, exifHasGps } from '@app/testing';
import { initials } from './evidence.service';
import { makeViewingCopies, THUMBNAIL_EDGE } from './viewing-copy';

/** The RGB of the pixel at (x, y). */
async function pixel(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + 3)];
}

describe('makeViewingCopies', () => {
  it('stands a phone photo upright and drops its EXIF (GPS, serial number) and comments', async () => {
    const photo = await buildOrientedPhoto(60, 40);
    const before = await sharp(photo).metadata();
    expect([before.width, before.height, before.orientation, exifHasGps(before.exif)]).toEqual([
      60,
      40,
      6,
      true,
    ]);

    const copies = await makeViewingCopies('image/jpeg', photo);
    const view = copies!.view.data;
    const after = await sharp(view).metadata();
    expect(copies!.view.mediaType).toBe('image/jpeg');
    expect([after.width, after.height, after.orientation]).toEqual([40, 60, undefined]);
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(view.includes(Buffer.from('CAM-0042'))).toBe(false);
    // the left (red) half of the stored pixels is now the top
    const [r, , b] = await pixel(view, 20, 5);
    expect(r).toBeGreaterThan(200);
    expect(b).toBeLessThan(50);
    const [r2, , b2] = await pixel(view, 20, 55);
    expect(r2).toBeLessThan(50);
    expect(b2).toBeGreaterThan(200);
  });

  it('drops the factory JPEG’s EXIF block, its comment and an appended preview', async () => {
    const jpeg = Buffer.concat([buildJpeg({ comment: 'taken at 51.5N' }), buildJpeg({ seed: 9, size: 64 })]);
    const view = (await makeViewingCopies('image/jpeg', jpeg))!.view.data;
    for (const leak of ['Exif', 'GPS', '51.5', 'CAM-0042']) {
      expect(view.includes(Buffer.from(leak))).toBe(false);
    }
    expect(jpeg.includes(Buffer.from('GPS'))).toBe(true);
    expect(view.subarray(0, 2).toString('hex')).toBe('ffd8');
    expect(view.indexOf(Buffer.from([0xff, 0xd9]))).toBe(view.length - 2);
  });

  it('keeps PNG as PNG without its text chunks', async () => {
    const view = (await makeViewingCopies('image/png', buildPng()))!.view;
    expect(view.mediaType).toBe('image/png');
    expect(view.data.includes(Buffer.from('tEXt'))).toBe(false);
    expect(view.data.includes(Buffer.from('IDAT'))).toBe(true);
  });

  it('makes a JPEG thumbnail no larger than its edge, also upright', async () => {
    const photo = await buildOrientedPhoto(1200, 800);
    const thumbnail = (await makeViewingCopies('image/jpeg', photo))!.thumbnail;
    const meta = await sharp(thumbnail.data).metadata();
    expect(thumbnail.mediaType).toBe('image/jpeg');
    expect([meta.width, meta.height, meta.exif]).toEqual([
      Math.round((THUMBNAIL_EDGE * 800) / 1200),
      THUMBNAIL_EDGE,
      undefined,
    ]);
  });

  it('makes no copy for video, PDF, or an image that does not decode (HEIC without HEVC)', async () => {
    expect(await makeViewingCopies('video/mp4', Buffer.alloc(10))).toBeNull();
    expect(await makeViewingCopies('application/pdf', Buffer.alloc(10))).toBeNull();
    expect(await makeViewingCopies('image/jpeg', Buffer.from('ffd8ffe000', 'hex'))).toBeNull();
  });
});

describe('exhibit initials', () => {
  it('takes the first letter of each name, without accents', () => {
    expect(initials('Jo Smith')).toBe('JS');
    expect(initials("Mary-Ann O'Neil")).toBe('MAON');
    expect(initials('Zoë Ærø')).toBe('ZR');
    expect(() => initials('123')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
