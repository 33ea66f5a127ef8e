import { hubEnv } from '../config/hub.js';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { download } from '../client/download.js';
import { TIKTOKEN_ENCODINGS, TokenizerError, type TiktokenEncodingName, type TokenizerSpec } from './tokenizer.js';

/**
 * `--tokenizer` to a TokenizerSpec: `tiktoken:<encoding>`, a tokenizer.json file, a folder that
 * holds one, or a Hugging Face hub id whose tokenizer.json is downloaded once into the cache
 * (`$EVALPERF_CACHE/tokenizers/<id>/`, default `~/.cache/evalperf`) and read from there after.
 */
export interface HubOptions {
  /** EVALPERF_HUB_URL, else https://huggingface.co. */
  baseUrl: string;
  cacheDir: string;
  /** HF_TOKEN: gated models (Llama, Gemma) need one; sent to the hub URL only. */
  token: string | null;
  /** Called once per file actually downloaded, for a progress line. */
  onDownload?: (url: string) => void;
}

export function hubOptions(env: NodeJS.ProcessEnv): HubOptions {
  const { baseUrl, cacheRoot, token } = hubEnv(env);
  return { baseUrl, cacheDir: join(cacheRoot, 'tokenizers'), token };
}

const HUB_ID = /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/;
const DOWNLOAD_TIMEOUT_MS = 120_000;

export async function resolveTokenizer(arg: string, hub: HubOptions): Promise<TokenizerSpec> {
  const flag = `--tokenizer ${arg}`;
  if (arg.startsWith('tiktoken:')) {
    const encoding = arg.slice('tiktoken:'.length);
    if (!(TIKTOKEN_ENCODINGS as readonly string[]).includes(encoding)) throw new TokenizerError(`${flag}: unknown encoding; expected tiktoken:${TIKTOKEN_ENCODINGS.join(' | tiktoken:')}`);
    return { kind: 'tiktoken', encoding: encoding as TiktokenEncodingName };
  }
  if (existsSync(arg)) return localSpec(arg, flag);
  if (arg.endsWith('.json') || /^[.~/]/.test(arg) || !HUB_ID.test(arg) || arg.includes('..')) {
    throw new TokenizerError(`${flag}: no such file or folder; pass a tokenizer.json, a folder with one, a hub id (org/name) or tiktoken:o200k_base`);
  }
  return hubSpec(arg, hub);
}

function localSpec(path: string, flag: string): TokenizerSpec {
  const abs = resolve(path);
  const dir = statSync(abs).isDirectory() ? abs : dirname(abs);
  const file = dir === abs ? join(dir, 'tokenizer.json') : abs;
  if (!existsSync(file)) throw new TokenizerError(`${flag}: ${dir} has no tokenizer.json; pass the file itself or a folder that holds one`);
  const config = join(dir, 'tokenizer_config.json');
  return { kind: 'hf', name: path, file, config: existsSync(config) ? config : null, ...templateOf(dir) };
}

async function hubSpec(id: string, hub: HubOptions): Promise<TokenizerSpec> {
  const dir = join(hub.cacheDir, id);
  const file = join(dir, 'tokenizer.json');
  const config = join(dir, 'tokenizer_config.json');
  // tokenizer.json is written last, so its presence means the folder is complete.
  if (!existsSync(file)) {
    for (const name of OPTIONAL_FILES) await downloadHubFile(hub, id, name, join(dir, name), true);
    await downloadHubFile(hub, id, 'tokenizer.json', file, false);
    writeAsked(dir, OPTIONAL_FILES);
  } else {
    await askMissingOptional(hub, id, dir);
  }
  return { kind: 'hf', name: id, file, config: existsSync(config) ? config : null, ...templateOf(dir) };
}

/** Newer models keep their chat template in its own file beside tokenizer_config.json. */
const TEMPLATE_FILE = 'chat_template.jinja';

/** Files a model may not have; a 404 for one is no error. */
const OPTIONAL_FILES = ['tokenizer_config.json', TEMPLATE_FILE] as const;

/**
 * The optional files a cache folder has asked the hub for, present or not. A folder cached
 * before a file joined OPTIONAL_FILES (chat_template.jinja) never asked for it: without this
 * note it would be used without the file forever, and re-asking on every run is a request per
 * run for models that have none.
 */
const ASKED_FILE = '.optional-files-asked.json';

function templateOf(dir: string): { template?: string } {
  const t = join(dir, TEMPLATE_FILE);
  return existsSync(t) ? { template: t } : {};
}

/**
 * Asks once for each optional file a cached folder lacks and has not asked for. A 404 is an
 * answer, noted so it is not asked again; a hub that cannot be reached (offline) or refuses
 * leaves the folder as it is, usable, to ask again next run.
 */
async function askMissingOptional(hub: HubOptions, id: string, dir: string): Promise<void> {
  const asked = readAsked(dir);
  const unasked = OPTIONAL_FILES.filter((name) => !asked.includes(name) && !existsSync(join(dir, name)));
  if (unasked.length === 0) return;
  const answered: string[] = [];
  for (const name of unasked) {
    try {
      await downloadHubFile(hub, id, name, join(dir, name), true);
      answered.push(name);
    } catch (e) {
      if (!(e instanceof TokenizerError)) throw e;
    }
  }
  if (answered.length > 0) writeAsked(dir, [...asked, ...answered]);
}

function readAsked(dir: string): string[] {
  try {
    const v = JSON.parse(readFileSync(join(dir, ASKED_FILE), 'utf8')) as { asked?: unknown };
    return Array.isArray(v.asked) ? v.asked.filter((n): n is string => typeof n === 'string') : [];
  } catch {
    return []; // none yet (an older cache), or unreadable: ask again, once
  }
}

function writeAsked(dir: string, names: readonly string[]): void {
  writeFileSync(join(dir, ASKED_FILE), JSON.stringify({ asked: [...new Set(names)] }) + '\n');
}

async function downloadHubFile(hub: HubOptions, id: string, name: string, dest: string, optional: boolean): Promise<void> {
  const hint = 'or pass a local tokenizer.json';
  await download({
    url: `${hub.baseUrl}/${id}/resolve/main/${name}`,
    dest,
    timeoutMs: DOWNLOAD_TIMEOUT_MS,
    token: hub.token,
    optional,
    onDownload: hub.onDownload,
    failure: ({ url, stage, status, detail }) => {
      const failed = `--tokenizer ${id}: download failed: ${url}: ${detail}`;
      if (stage === 'unreachable') return new TokenizerError(`${failed} (set EVALPERF_HUB_URL for a mirror, ${hint})`);
      if (stage === 'save') return new TokenizerError(`${failed} (${hint})`);
      const why = status === 401 || status === 403 ? 'the model is gated or private: set HF_TOKEN' : status === 404 ? 'no such model or no tokenizer.json in it' : 'the hub refused';
      return new TokenizerError(`${failed}, ${why} (${hint})`);
    },
  });
}
