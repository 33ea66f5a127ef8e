/**
 * The smallest zip reader that reads CMMLU's release archive: the central directory, stored (0)
 * and deflated (8) entries, CRC-checked. No zip64 (the archive is ~1 MB), no encryption.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { DataError } from './errors.js';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function readZipEntries(buf: Buffer, file: string, want: (name: string) => boolean): Map<string, Buffer> {
  const bad = (why: string): DataError => new DataError(`${file}: not a readable zip archive (${why})`);
  // The end-of-central-directory record sits in the last 22 bytes plus up to 64 KiB of comment.
  let eocd = -1;
  for (let p = buf.length - 22; p >= Math.max(0, buf.length - 22 - 0xffff); p--) {
    if (buf.readUInt32LE(p) === EOCD) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) throw bad('no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  if (p === 0xffffffff) throw bad('zip64 is not supported');
  const out = new Map<string, Buffer>();
  for (let k = 0; k < count; k++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) throw bad('broken central directory');
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/') || !want(name)) continue;
    if (buf.readUInt32LE(local) !== LOCAL) throw bad(`broken local header of ${name}`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + csize);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) data = inflateRawSync(raw);
    else throw bad(`${name}: compression method ${method} is not supported`);
    if (crc32(data) !== crc) throw bad(`${name}: CRC mismatch`);
    out.set(name, data);
  }
  return out;
}
