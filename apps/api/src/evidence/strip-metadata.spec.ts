import { buildJpeg, buildPng } from '@app/testing';
import { initials } from './evidence.service';
import { stripMetadata } from './strip-metadata';

describe('stripMetadata', () => {
  it('drops EXIF (with GPS) and comments from a JPEG and keeps the image segments', () => {
    const jpeg = buildJpeg({ comment: 'taken at 51.5N' });
    const out = stripMetadata('image/jpeg', jpeg);
    expect(out).not.toBeNull();
    const bytes = out as Buffer;
    expect(bytes.includes(Buffer.from('Exif'))).toBe(false);
    expect(bytes.includes(Buffer.from('GPS'))).toBe(false);
    expect(bytes.includes(Buffer.from('51.5N'))).toBe(false);
    expect(bytes.includes(Buffer.from('JFIF'))).toBe(true);
    expect(bytes.subarray(0, 2).toString('hex')).toBe('ffd8');
    expect(bytes.subarray(-2).toString('hex')).toBe('ffd9');
    // the scan data is untouched
    expect(bytes.subarray(-1000).equals(jpeg.subarray(-1000))).toBe(true);
  });

  it('drops text chunks from a PNG', () => {
    const out = stripMetadata('image/png', buildPng()) as Buffer;
    expect(out.includes(Buffer.from('tEXt'))).toBe(false);
    expect(out.includes(Buffer.from('IDAT'))).toBe(true);
    expect(out.includes(Buffer.from('IEND'))).toBe(true);
  });

  it('makes no derivative for types it cannot strip yet', () => {
    expect(stripMetadata('video/mp4', Buffer.alloc(10))).toBeNull();
    expect(stripMetadata('application/pdf', Buffer.alloc(10))).toBeNull();
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
