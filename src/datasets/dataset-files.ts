import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { DatasetError } from './errors.js';
import { firstByte, jsonArrayItems, textLines } from './scan.js';

/**
 * Prompt files for `--dataset`: JSON lines (`jsonl:`), plain text one prompt per line
 * (`lines:`), and ShareGPT conversations (`sharegpt:`). Files are read as bytes and split
 * without one big string, so a ShareGPT dump of hundreds of MB loads, and reading stops once
 * the run has the prompts it needs. Every error is one line naming the file, the line and a fix.
 */
export type DatasetFormat = 'jsonl' | 'lines' | 'sharegpt';
export type DatasetArg = { format: 'random' } | { format: DatasetFormat; path: string };

export type Message = { role: string; content: unknown } & Record<string, unknown>;

/** One prompt and where it came from (`file:line`). */
export type Entry =
  /**
   * `reference`: the dataset's own reply (ShareGPT), for --max-tokens dataset. `later`: the
   * conversation's further user turns and their replies (ShareGPT), for multi-turn runs.
   */
  | { kind: 'text'; loc: string; text: string; reference: string | null; later?: { content: string; reference: string | null }[] }
  | { kind: 'messages'; loc: string; messages: Message[] }
  /** A whole request body: every field is sent (model and streaming set by the run). */
  | { kind: 'body'; loc: string; body: Record<string, unknown> };

const FORMATS: Record<string, DatasetFormat> = { jsonl: 'jsonl', lines: 'lines', sharegpt: 'sharegpt' };
const BY_EXTENSION: Record<string, DatasetFormat> = { '.jsonl': 'jsonl', '.txt': 'lines', '.json': 'sharegpt' };
const USAGE = 'expected random, jsonl:PATH, lines:PATH or sharegpt:PATH';

export function parseDatasetArg(arg: string): DatasetArg {
  if (arg === 'random') return { format: 'random' };
  const m = /^([a-z]+):(.+)$/.exec(arg);
  if (m && FORMATS[m[1]!]) return { format: FORMATS[m[1]!]!, path: m[2]! };
  const ext = /\.[a-z]+$/.exec(arg)?.[0];
  if (ext && BY_EXTENSION[ext]) return { format: BY_EXTENSION[ext]!, path: arg };
  throw new Error(`--dataset ${arg}: ${USAGE}`);
}

export interface LoadedDataset {
  entries: Entry[];
  /** ShareGPT conversations without a user turn to ask. */
  skipped: number;
}

/** First read of a file when the run needs only some prompts; four times more on each retry. */
const FIRST_READ = 8 << 20;

/**
 * Reads up to `limit` prompts (null: all of them). With a limit, a prefix of the file is read
 * and parsed, and a longer one only when it held too few: a run of 1,000 requests does not read
 * a 700 MB ShareGPT dump.
 */
export function readDataset(format: DatasetFormat, path: string, limit: number | null, conversations = false): LoadedDataset {
  for (let bytes = FIRST_READ; ; bytes *= 4) {
    const { buf, complete } = readPrefix(format, path, limit === null ? Infinity : bytes);
    const out = parse(format, path, buf, complete, limit, conversations);
    if (complete || out.entries.length >= limit!) {
      if (out.entries.length === 0) throw new DatasetError(`--dataset ${format}:${path}: no prompts in the file${out.skipped ? ` (${out.skipped} conversation${out.skipped === 1 ? '' : 's'} without a user turn)` : ''}`);
      return out;
    }
  }
}

function readPrefix(format: DatasetFormat, path: string, bytes: number): { buf: Buffer; complete: boolean } {
  try {
    if (statSync(path).size <= bytes) return { buf: readFileSync(path), complete: true };
    const buf = Buffer.allocUnsafe(bytes);
    const fd = openSync(path, 'r');
    try {
      return { buf: buf.subarray(0, readSync(fd, buf, 0, bytes, 0)), complete: false };
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DatasetError(`--dataset ${format}:${path}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? (e as Error).message})`}`);
  }
}

/** `conversations`: keep a ShareGPT conversation's later turns (multi-turn runs); else only its first, to hold less. */
function parse(format: DatasetFormat, path: string, buf: Buffer, complete: boolean, limit: number | null, conversations: boolean): LoadedDataset {
  const out: LoadedDataset = { entries: [], skipped: 0 };
  const full = () => limit !== null && out.entries.length >= limit;
  if (format === 'lines') {
    for (const l of textLines(buf, complete)) {
      if (full()) break;
      if (l.text.trim() !== '') out.entries.push({ kind: 'text', loc: `${path}:${l.line}`, text: l.text, reference: null });
    }
  } else if (format === 'jsonl') {
    for (const l of textLines(buf, complete)) {
      if (full()) break;
      if (l.text.trim() !== '') out.entries.push(jsonlEntry(parseJson(l.text, `${path}:${l.line}`, JSONL_FIX), `${path}:${l.line}`));
    }
  } else {
    const items = firstByte(buf) === 0x5b ? jsonArrayItems(buf, path, complete) : textLines(buf, complete);
    for (const it of items) {
      if (full()) break;
      if (it.text.trim() === '') continue;
      const loc = `${path}:${it.line}`;
      const entry = shareGptEntry(parseJson(it.text, loc, SHAREGPT_FIX), loc, conversations);
      if (entry) out.entries.push(entry);
      else out.skipped++;
    }
  }
  return out;
}

const JSONL_FIX = 'each line must be one JSON value: "text", [messages], {"messages": [...]}, {"prompt": "..."} or {"text": "..."}';
const SHAREGPT_FIX = 'expected ShareGPT: [{"conversations": [{"from": "human", "value": "..."}, {"from": "gpt", "value": "..."}]}, ...]';

function parseJson(text: string, loc: string, fix: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DatasetError(`${loc}: not valid JSON (${(e as Error).message}); ${fix}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function checkMessages(v: unknown, loc: string): Message[] {
  if (!Array.isArray(v) || v.length === 0) throw new DatasetError(`${loc}: "messages" must be a non-empty array of {"role": ..., "content": ...}`);
  v.forEach((m: unknown, k) => {
    const content = isObject(m) ? m.content : undefined;
    if (!isObject(m) || typeof m.role !== 'string' || !(typeof content === 'string' || Array.isArray(content) || content === null)) {
      throw new DatasetError(`${loc}: message ${k + 1} must be {"role": "user", "content": "..."} (content a string or an array of parts)`);
    }
  });
  return v as Message[];
}

function jsonlEntry(v: unknown, loc: string): Entry {
  if (typeof v === 'string') {
    if (v.trim() === '') throw new DatasetError(`${loc}: empty prompt; remove the line`);
    return { kind: 'text', loc, text: v, reference: null };
  }
  if (Array.isArray(v)) return { kind: 'messages', loc, messages: checkMessages(v, loc) };
  if (isObject(v)) {
    if ('messages' in v) return (checkMessages(v.messages, loc), { kind: 'body', loc, body: v });
    if ('prompt' in v) {
      const p = v.prompt;
      if (typeof p !== 'string' || p.trim() === '') throw new DatasetError(`${loc}: "prompt" must be a non-empty string`);
      return { kind: 'body', loc, body: v };
    }
    if (typeof v.text === 'string' && v.text.trim() !== '') return { kind: 'text', loc, text: v.text, reference: null };
  }
  throw new DatasetError(`${loc}: no prompt found; ${JSONL_FIX}`);
}

const ASKS = new Set(['human', 'user']);
const ANSWERS = new Set(['gpt', 'assistant', 'chatgpt', 'bard', 'model']);

/** The first user turn of a conversation with the reply that follows it, and the later turns; null if none. */
function shareGptEntry(v: unknown, loc: string, conversations: boolean): Entry | null {
  const turns = isObject(v) ? (v.conversations ?? v.conversation) : undefined;
  if (!Array.isArray(turns)) throw new DatasetError(`${loc}: no "conversations" list; ${SHAREGPT_FIX}`);
  const parsed = turns.map((t: unknown, k) => {
    const who = isObject(t) ? (t.from ?? t.role) : undefined;
    const text = isObject(t) ? (t.value ?? t.content) : undefined;
    if (typeof who !== 'string' || typeof text !== 'string') throw new DatasetError(`${loc}: turn ${k + 1} must be {"from": "human" | "gpt", "value": "..."}`);
    return { who: who.toLowerCase(), text };
  });
  const asks: { content: string; reference: string | null }[] = [];
  parsed.forEach((t, k) => {
    if (!ASKS.has(t.who) || t.text.trim() === '') return;
    const next = parsed[k + 1];
    asks.push({ content: t.text, reference: next && ANSWERS.has(next.who) ? next.text : null });
  });
  if (asks.length === 0) return null;
  const [first, ...later] = asks;
  return { kind: 'text', loc, text: first!.content, reference: first!.reference, ...(conversations && later.length > 0 && { later }) };
}
