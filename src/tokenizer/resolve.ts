import { hubEnv } from '../config/hub.js';
import { existsSync, statSync } from 'node:fs';
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
    await downloadHubFile(hub, id, 'tokenizer_config.json', config, true);
    await downloadHubFile(hub, id, TEMPLATE_FILE, join(dir, TEMPLATE_FILE), true);
    await downloadHubFile(hub, id, 'tokenizer.json', file, false);
  }
  return { kind: 'hf', name: id, file, config: existsSync(config) ? config : null, ...templateOf(dir) };
}

/** Newer models keep their chat template in its own file beside tokenizer_config.json. */
const TEMPLATE_FILE = 'chat_template.jinja';

function templateOf(dir: string): { template?: string } {
  const t = join(dir, TEMPLATE_FILE);
  return existsSync(t) ? { template: t } : {};
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
