import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';

/**
 * Streams a downloaded body into `dest` atomically: a temp file beside it, renamed into place
 * when complete and removed on failure, so a cache never holds half a file. Throws the stream's
 * error; callers word it for their flag.
 */
export async function saveDownload(body: ReadableStream, dest: string): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  const tmp = `${dest}.partial-${process.pid}-${Date.now()}`;
  try {
    await pipeline(Readable.fromWeb(body), createWriteStream(tmp));
    await rename(tmp, dest);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
