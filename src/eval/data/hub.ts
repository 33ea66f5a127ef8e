/**
 * Files from the Hugging Face hub (or any server with its URL layout,
 * `<base>/datasets/<repo>/resolve/<revision>/<path>`), downloaded once into the cache and read
 * from there afterwards. A download goes to a temporary name and is renamed when complete, so an
 * interrupted one never looks like a cached file.
 */
import { stat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { parquetReadObjects } from 'hyparquet';
import { download } from '../../client/download.js';
import { DataError } from './errors.js';
import { parseJsonl, type HubSource, type Located, type Row } from './source.js';
import { readZipEntries } from './zip.js';

const DOWNLOAD_TIMEOUT_MS = 300_000;

function hubUrl(src: HubSource, repo: string, path: string, revision = 'main'): string {
  return `${src.baseUrl}/datasets/${repo}/resolve/${encodeURIComponent(revision)}/${path}`;
}

/** The cached copy of a hub file, downloading it first when absent. */
export async function hubFile(src: HubSource, repo: string, path: string, revision = 'main'): Promise<string> {
  const dest = join(src.cacheDir, repo, revision.replace(/[^\w.-]/g, '_'), path);
  if (await isFile(dest)) return dest;
  await download({
    url: hubUrl(src, repo, path, revision),
    dest,
    timeoutMs: DOWNLOAD_TIMEOUT_MS,
    onDownload: src.onDownload,
    failure: ({ url, detail }) => new DataError(`download failed: ${url}: ${detail} (use --data-dir to load a local copy instead)`),
  });
  return dest;
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/** Codecs beyond hyparquet's built-in snappy that node:zlib can decode. */
const COMPRESSORS = {
  GZIP: (input: Uint8Array): Uint8Array => gunzipSync(input),
  BROTLI: (input: Uint8Array): Uint8Array => brotliDecompressSync(input),
};

/** Rows of a parquet file as objects (INT64 columns arrive as bigint). */
async function readParquetFile(file: string): Promise<Located<Row>[]> {
  const buf = await readFile(file);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  let rows: Row[];
  try {
    rows = (await parquetReadObjects({
      file: { byteLength: ab.byteLength, slice: (s: number, e?: number) => ab.slice(s, e) },
      compressors: COMPRESSORS,
    })) as Row[];
  } catch (e) {
    throw new DataError(`${file}: not a readable parquet file (${(e as Error).message})`);
  }
  return rows.map((value, k) => ({ value, loc: `${file} row ${k + 1}` }));
}

export async function readHubParquet(src: HubSource, repo: string, path: string, revision?: string): Promise<Located<Row>[]> {
  return readParquetFile(await hubFile(src, repo, path, revision));
}

export async function readHubJsonl(src: HubSource, repo: string, path: string, revision?: string): Promise<Located<Row>[]> {
  const file = await hubFile(src, repo, path, revision);
  return parseJsonl(await readFile(file, 'utf8'), file);
}

/** Text entries of a zip on the hub whose names pass `want` (CMMLU ships only a zip of CSVs). */
export async function readHubZip(
  src: HubSource,
  repo: string,
  path: string,
  want: (name: string) => boolean,
): Promise<Map<string, { text: string; file: string }>> {
  const file = await hubFile(src, repo, path);
  const entries = readZipEntries(await readFile(file), file, want);
  const out = new Map<string, { text: string; file: string }>();
  for (const [name, bytes] of entries) out.set(name, { text: bytes.toString('utf8'), file: `${file}!${name}` });
  return out;
}

/** Maps with at most `limit` promises in flight: many small per-subject files download faster. */
export async function mapLimit<T, R>(xs: readonly T[], limit: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(xs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < xs.length) {
      const k = next++;
      out[k] = await f(xs[k]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, xs.length) }, worker));
  return out;
}
