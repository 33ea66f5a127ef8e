import { inflateSync } from 'node:zlib';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { adler32, adler32Combine, parseImageSize, requestImages, uniquePng } from './images.js';

/** The chunks of a PNG, each CRC checked. */
function chunks(png: Buffer): { type: string; data: Buffer }[] {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const out: { type: string; data: Buffer }[] = [];
  for (let o = 8; o < png.length; ) {
    const len = png.readUInt32BE(o);
    const type = png.toString('latin1', o + 4, o + 8);
    expect(png.readUInt32BE(o + 8 + len), `${type} CRC`).toBe(crc32(png.subarray(o + 4, o + 8 + len)));
    out.push({ type, data: png.subarray(o + 8, o + 8 + len) });
    o += 12 + len;
  }
  return out;
}

describe('generated PNG images', () => {
  it.each([[4, 4], [64, 48], [512, 512], [1000, 3]])('%ix%i decodes: valid CRCs, zlib stream with a correct Adler-32, the right size', (w, h) => {
    const png = uniquePng(w, h, { stream: 0, index: 7, k: 1 }, 1);
    const cs = chunks(png);
    expect(cs.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const ihdr = cs[0]!.data;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9]]).toEqual([w, h, 8, 2]);
    // inflateSync checks the Adler-32 trailer: a wrong combine throws here.
    const raw = inflateSync(cs[1]!.data);
    expect(raw.length).toBe(h * (1 + 3 * w));
    // The first row (the image's own) unfiltered, the shared rows with PNG's Sub filter.
    for (let y = 0; y < h; y++) expect(raw[y * (1 + 3 * w)], `row ${y} filter`).toBe(y === 0 ? 0 : 1);
  });

  it('is the same for the same id and different for any other id', () => {
    const a = uniquePng(32, 32, { stream: 1, index: 5, k: 0 }, 1);
    expect(uniquePng(32, 32, { stream: 1, index: 5, k: 0 }, 1)).toEqual(a);
    const others = [{ stream: 2, index: 5, k: 0 }, { stream: 1, index: 6, k: 0 }, { stream: 1, index: 5, k: 1 }].map((id) => uniquePng(32, 32, id, 1).toString('hex'));
    expect(new Set([a.toString('hex'), ...others]).size).toBe(4);
  });

  it('gives each request its own images as PNG data URLs', () => {
    const urls = [0, 1, 2].flatMap((i) => requestImages({ count: 2, width: 16, height: 16 }, 1, 0, i));
    expect(urls).toHaveLength(6);
    expect(new Set(urls).size).toBe(6);
    for (const u of urls) expect(chunks(Buffer.from(u.replace(/^data:image\/png;base64,/, ''), 'base64'))[0]!.type).toBe('IHDR');
  });

  it('combines Adler-32 checksums as zlib does', () => {
    const a = Buffer.from('the first part, ');
    const b = Buffer.alloc(70_000, 0xfe);
    expect(adler32Combine(adler32(a), adler32(b), b.length)).toBe(adler32(Buffer.concat([a, b])));
    expect(adler32(Buffer.from('Wikipedia'))).toBe(0x11e60398);
  });

  it.each([
    ['512x512', { width: 512, height: 512 }],
    ['1024X768', { width: 1024, height: 768 }],
  ])('parses --image-size %s', (text, size) => expect(parseImageSize(text)).toEqual(size));
  it.each(['512', '0x10', '3x100', '9000x10', 'big'])('refuses --image-size %s', (text) => {
    expect(() => parseImageSize(text)).toThrow(/expected WIDTHxHEIGHT in pixels, 4 to 8192 each/);
  });
});
