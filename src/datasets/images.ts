import { crc32, deflateRawSync } from 'node:zlib';
import { createRng } from '../load/rng.js';
import { seedOf } from './random.js';

/**
 * Generated PNG images for vision models (`--images N --image-size WxH`), sent as data URLs.
 *
 * Every image of a run must be distinct: servers cache image features by content hash (vLLM's
 * multimodal cache), so a repeated image would skip the vision encoder and flatter the server.
 * Compressing a fresh image per request would cost milliseconds of worker time, so each image
 * is a shared body (rows 1..H-1, compressed once per size) under a first row of its own, written
 * as a stored (uncompressed) deflate block: per image, only that row, the zlib checksum (combined,
 * not recomputed), the PNG CRC and the base64 are computed.
 */
export interface ImageSpec {
  count: number;
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** A stored deflate block holds at most 65535 bytes: the unique row must fit in one. */
const MAX_IMAGE_SIDE = 8192;
/** The first row spells the image's id in its first 9 bytes (3 pixels); at least 2 rows. */
const MIN_IMAGE_SIDE = 4;
const ADLER_MOD = 65521;

interface SharedBody {
  /** Raw deflate of rows 1..H-1 (filter byte + RGB each), ending with the final block. */
  deflated: Buffer;
  adler: number;
  length: number;
}

const bodies = new Map<string, SharedBody>();

/** Rows 1..H-1, compressed once per size. */
function sharedBody(width: number, height: number): SharedBody {
  const key = `${width}x${height}`;
  let b = bodies.get(key);
  if (b !== undefined) return b;
  const row = 1 + 3 * width;
  const raw = Buffer.alloc(row * (height - 1));
  // Seeded noise in 8x8 tiles over a gradient: some texture for the encoder, and a size in bytes
  // nearer a photo's than flat colour or per-pixel noise would give.
  const tiles = Math.ceil(width / 8);
  const rng = createRng(seedOf(width, height));
  let tile = new Uint8Array(tiles);
  for (let y = 1; y < height; y++) {
    if (y % 8 === 1) tile = Uint8Array.from({ length: tiles }, () => Math.floor(rng() * 48));
    const o = (y - 1) * row;
    // PNG's Sub filter: each byte minus the one a pixel to its left, which turns gradients into runs.
    raw[o] = 1;
    let prev = [0, 0, 0];
    for (let x = 0; x < width; x++) {
      const noise = tile[x >> 3]!;
      const px = [((x * 255) / width + noise) & 0xff, ((y * 255) / height + noise) & 0xff, (((x + y) * 127) / (width + height) + 64 + noise) & 0xff];
      for (let c = 0; c < 3; c++) raw[o + 1 + 3 * x + c] = (px[c]! - prev[c]!) & 0xff;
      prev = px;
    }
  }
  b = { deflated: deflateRawSync(raw, { level: 6 }), adler: adler32(raw), length: raw.length };
  bodies.set(key, b);
  return b;
}

export function adler32(buf: Uint8Array, start = 0, end = buf.length): number {
  let a = 1;
  let b = 0;
  for (let i = start; i < end; ) {
    // 5552 bytes keep the sums within 2^31 before the modulo (zlib's NMAX).
    const stop = Math.min(end, i + 5552);
    for (; i < stop; i++) {
      a += buf[i]!;
      b += a;
    }
    a %= ADLER_MOD;
    b %= ADLER_MOD;
  }
  return ((b << 16) | a) >>> 0;
}

/** The Adler-32 of A followed by B, from adler(A), adler(B) and B's length (zlib's adler32_combine). */
export function adler32Combine(adlerA: number, adlerB: number, lengthB: number): number {
  const rem = lengthB % ADLER_MOD;
  const a1 = adlerA & 0xffff;
  const b1 = adlerA >>> 16;
  const a2 = adlerB & 0xffff;
  const b2 = adlerB >>> 16;
  const a = (a1 + a2 + ADLER_MOD - 1) % ADLER_MOD;
  const b = (((rem * a1) % ADLER_MOD) + b1 + b2 + ADLER_MOD - rem) % ADLER_MOD;
  return ((b << 16) | a) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Which image of the run: its first pixels spell this, so no two are alike (a hash could collide). */
export interface ImageId {
  stream: number;
  index: number;
  k: number;
}

/** A PNG of `width` x `height`, the same for the same id and seed, different for any other id. */
export function uniquePng(width: number, height: number, id: ImageId, seed: number): Buffer {
  const body = sharedBody(width, height);
  const row = Buffer.alloc(1 + 3 * width);
  row.writeUInt8(id.stream & 0xff, 1);
  row.writeUInt16BE(id.k & 0xffff, 2);
  row.writeUIntBE(id.index, 4, 6);
  const rng = createRng(seedOf(seed, 6, id.stream, id.index, id.k));
  for (let i = 10; i < row.length; i++) row[i] = Math.floor(rng() * 256);
  // zlib header (deflate, 32K window, no preset dictionary), a stored block with the first row, then the shared blocks.
  const stored = Buffer.alloc(5);
  stored[0] = 0; // BFINAL 0, BTYPE 00 (stored)
  stored.writeUInt16LE(row.length, 1);
  stored.writeUInt16LE(~row.length & 0xffff, 3);
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(adler32Combine(adler32(row), body.adler, body.length));
  const idat = Buffer.concat([Buffer.from([0x78, 0x01]), stored, row, body.deflated, adler]);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

/** Compresses the shared body now (tens of ms at 512x512, seconds at 8192x8192), so the first request does not wait for it. */
export function prepareImages(spec: ImageSpec): void {
  sharedBody(spec.width, spec.height);
}

/** The images of request `index` of `stream`, as data URLs. */
export function requestImages(spec: ImageSpec, seed: number, stream: number, index: number): string[] {
  return Array.from({ length: spec.count }, (_, k) => `data:image/png;base64,${uniquePng(spec.width, spec.height, { stream, index, k }, seed).toString('base64')}`);
}

/** `--image-size 512x512`. */
export function parseImageSize(text: string): { width: number; height: number } {
  const m = /^(\d+)x(\d+)$/i.exec(text.trim());
  const w = m ? Number(m[1]) : NaN;
  const h = m ? Number(m[2]) : NaN;
  if (!(w >= MIN_IMAGE_SIDE && h >= MIN_IMAGE_SIDE && w <= MAX_IMAGE_SIDE && h <= MAX_IMAGE_SIDE)) throw new Error(`--image-size ${text}: expected WIDTHxHEIGHT in pixels, ${MIN_IMAGE_SIDE} to ${MAX_IMAGE_SIDE} each, e.g. --image-size 512x512`);
  return { width: w, height: h };
}
