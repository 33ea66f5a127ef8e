import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';

/**
 * One file fetched into a cache, for the benchmark hub and the tokenizer hub alike: the request,
 * its deadline and the atomic save are written here once; each caller words the failure for its
 * own flag, because the fix differs (--data-dir for a benchmark, HF_TOKEN or a local
 * tokenizer.json for a tokenizer).
 */
export interface DownloadFailure {
  url: string;
  /** unreachable: no answer (refused, no such host, deadline); http: a status that is not 2xx; save: the body broke off or could not be written. */
  stage: 'unreachable' | 'http' | 'save';
  /** The status for `http`, else null. */
  status: number | null;
  /** What went wrong, in one phrase: the network error's cause, `HTTP 404`, or the write error. */
  detail: string;
}

export interface DownloadRequest {
  url: string;
  dest: string;
  /** For the whole download, body included. */
  timeoutMs: number;
  /** Sent as a bearer token (HF_TOKEN); only to this URL. */
  token?: string | null;
  /** A 404 means the file is not there, not a failure: nothing is saved and download returns false. */
  optional?: boolean;
  /** Called once the server has said yes, before the body is saved: a progress line. */
  onDownload?: (url: string) => void;
  /** The caller's error for a failure; download throws it. */
  failure: (f: DownloadFailure) => Error;
}

/** Fetches `url` into `dest`; true when saved, false for an optional file the server does not have. */
export async function download(req: DownloadRequest): Promise<boolean> {
  const { url } = req;
  let res: Response;
  try {
    const headers: Record<string, string> = req.token ? { authorization: `Bearer ${req.token}` } : {};
    res = await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(req.timeoutMs) });
  } catch (e) {
    // fetch's own message is only "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND).
    const cause = (e as { cause?: { message?: string } }).cause?.message;
    throw req.failure({ url, stage: 'unreachable', status: null, detail: cause ?? (e as Error).message });
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    if (req.optional && res.status === 404) return false;
    throw req.failure({ url, stage: 'http', status: res.status, detail: `HTTP ${res.status}` });
  }
  req.onDownload?.(url);
  try {
    await saveDownload(res.body as ReadableStream, req.dest);
  } catch (e) {
    throw req.failure({ url, stage: 'save', status: null, detail: (e as Error).message });
  }
  return true;
}

/**
 * Streams a downloaded body into `dest` atomically: a temp file beside it, renamed into place
 * when complete and removed on failure, so a cache never holds half a file.
 */
async function saveDownload(body: ReadableStream, dest: string): Promise<void> {
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
