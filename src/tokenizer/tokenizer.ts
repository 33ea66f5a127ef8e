import { readFileSync } from 'node:fs';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { Template } from '@huggingface/jinja';
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';

/**
 * A tokenizer as evalperf uses it: to count the tokens of a prompt's text (as a server counts
 * the text it is sent: no BOS/EOS added, chat template not applied) and to build prompts of an
 * exact length. Loaded from a TokenizerSpec, which is plain data, so a worker thread can load
 * the same tokenizer from the spec the main thread resolved.
 */
export interface Tokenizer {
  /** How reports name it: `tiktoken:o200k_base`, `hf:<hub id or file>`. */
  readonly name: string;
  count(text: string): number;
  /**
   * Tokens of chat messages as a server counts them: rendered with the model's chat template
   * (tokenizer_config.json `chat_template`, generation prompt added); null without a template.
   */
  countChat(messages: readonly unknown[]): number | null;
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
}

export const TIKTOKEN_ENCODINGS = ['o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base', 'gpt2'] as const;
export type TiktokenEncodingName = (typeof TIKTOKEN_ENCODINGS)[number];

export type TokenizerSpec =
  | { kind: 'tiktoken'; encoding: TiktokenEncodingName }
  /**
   * `file` is a tokenizer.json; `config` its tokenizer_config.json when there is one; `template`
   * a chat_template.jinja beside them (newer models ship the chat template there).
   */
  | { kind: 'hf'; name: string; file: string; config: string | null; template?: string };

/** A tokenizer that cannot be used: the message is one line for the user (exit 2). */
export class TokenizerError extends Error {
  override name = 'TokenizerError';
}

export async function loadTokenizer(spec: TokenizerSpec): Promise<Tokenizer> {
  return spec.kind === 'tiktoken' ? loadTiktoken(spec.encoding) : loadHf(spec);
}

/** One encoding's ranks only: js-tiktoken's main entry parses all of them (seconds, 100+ MB). */
const RANKS: Record<TiktokenEncodingName, () => Promise<{ default: TiktokenBPE }>> = {
  o200k_base: () => import('js-tiktoken/ranks/o200k_base'),
  cl100k_base: () => import('js-tiktoken/ranks/cl100k_base'),
  p50k_base: () => import('js-tiktoken/ranks/p50k_base'),
  r50k_base: () => import('js-tiktoken/ranks/r50k_base'),
  gpt2: () => import('js-tiktoken/ranks/gpt2'),
};

async function loadTiktoken(encoding: TiktokenEncodingName): Promise<Tokenizer> {
  const ranks = (await RANKS[encoding]()).default;
  const enc = new Tiktoken(ranks);
  // Special-token strings in a prompt are plain text here, as in any user's prompt: no throw.
  const encode = (text: string) => enc.encode(text, [], []);
  return { name: `tiktoken:${encoding}`, count: (t) => encode(t).length, countChat: () => null, encode, decode: (ids) => enc.decode([...ids]) };
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new TokenizerError(`${file}: cannot read the ${what} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function readJson(file: string, what: string): object {
  const text = readText(file, what);
  try {
    const v: unknown = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not a JSON object');
    return v;
  } catch (e) {
    throw new TokenizerError(`${file}: not a valid ${what} (${(e as Error).message}); pass a Hugging Face tokenizer.json`);
  }
}

function loadHf(spec: Extract<TokenizerSpec, { kind: 'hf' }>): Tokenizer {
  const json = readJson(spec.file, 'tokenizer.json') as { model?: unknown };
  if (json.model === undefined) throw new TokenizerError(`${spec.file}: no "model" section, so not a Hugging Face tokenizer.json`);
  const config = spec.config === null ? {} : readJson(spec.config, 'tokenizer_config.json');
  let tok: HfTokenizer;
  try {
    tok = new HfTokenizer(json, config);
  } catch (e) {
    throw new TokenizerError(`${spec.file}: this tokenizer cannot be loaded (${(e as Error).message})`);
  }
  const encode = (text: string) => tok.encode(text, { add_special_tokens: false }).ids;
  // A chat_template.jinja file wins over the config's chat_template, as in transformers.
  const templateFile = spec.template === undefined ? null : readText(spec.template, 'chat_template.jinja');
  const render = chatTemplate(templateFile === null ? (config as Record<string, unknown>) : { ...config, chat_template: templateFile }, spec.template ?? spec.config ?? spec.file);
  return {
    name: `hf:${spec.name}`,
    count: (t) => encode(t).length,
    // The template writes BOS and the role markers itself: encode without adding special tokens.
    countChat: (messages) => {
      const text = render?.(messages) ?? null;
      return text === null ? null : encode(text).length;
    },
    encode,
    decode: (ids) => tok.decode([...ids], { skip_special_tokens: false, clean_up_tokenization_spaces: false }),
  };
}

/**
 * The chat template of a tokenizer_config.json (a string, or named templates: "default"), as a
 * function of the messages; null when there is none. A template that fails for some messages
 * (one that refuses a role, say) counts them as null: the caller falls back to the text alone.
 */
function chatTemplate(config: Record<string, unknown>, file: string): ((messages: readonly unknown[]) => string | null) | null {
  let source = config.chat_template;
  if (Array.isArray(source)) source = (source as { name?: unknown; template?: unknown }[]).find((t) => t.name === 'default')?.template;
  if (typeof source !== 'string' || source.trim() === '') return null;
  let template: Template;
  try {
    template = new Template(source);
  } catch (e) {
    throw new TokenizerError(`${file}: its chat_template does not parse (${(e as Error).message}); fix it or remove it from tokenizer_config.json`);
  }
  const token = (v: unknown) => (typeof v === 'string' ? v : v !== null && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string' ? (v as { content: string }).content : '');
  const specials = { bos_token: token(config.bos_token), eos_token: token(config.eos_token), unk_token: token(config.unk_token), pad_token: token(config.pad_token) };
  return (messages) => {
    try {
      return template.render({ messages, add_generation_prompt: true, ...specials });
    } catch {
      return null;
    }
  };
}
