import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Small but real Hugging Face tokenizer.json files, built here so tests need no download. They
 * copy the three layouts most served models use: GPT-2 / Qwen (byte-level BPE), Llama 3 (a split
 * regex, then byte-level BPE, BOS added by the post-processor) and Llama 2 / Mistral
 * (SentencePiece-style BPE over `▁`, byte fallback, BOS). Merges are made so every given word is
 * one token with and without its leading space; other text falls back to characters or bytes.
 */

/** GPT-2's byte -> printable character map. */
function bytesToUnicode(): string[] {
  const keep = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  const out: string[] = new Array(256);
  let n = 0;
  for (let b = 0; b < 256; b++) out[b] = String.fromCodePoint(keep(b) ? b : 256 + n++);
  return out;
}

/** Plain BPE: the lowest-ranked adjacent pair merges first, until none applies. */
function bpe(symbols: string[], ranks: Map<string, number>): string[] {
  const s = [...symbols];
  for (;;) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i < s.length - 1; i++) {
      const r = ranks.get(`${s[i]} ${s[i + 1]}`);
      if (r !== undefined && r < bestRank) [best, bestRank] = [i, r];
    }
    if (best < 0) return s;
    s.splice(best, 2, s[best]! + s[best + 1]!);
  }
}

/**
 * Merges that make each piece one token. A new merge joins the first two symbols left after the
 * existing merges and ranks last, so it never changes how earlier pieces are tokenized.
 */
function mergesFor(pieces: string[][]): { merges: [string, string][]; tokens: string[] } {
  const ranks = new Map<string, number>();
  const merges: [string, string][] = [];
  const tokens: string[] = [];
  for (const p of pieces) {
    for (let s = bpe(p, ranks); s.length > 1; s = bpe(p, ranks)) {
      const key = `${s[0]} ${s[1]}`;
      ranks.set(key, merges.length);
      merges.push([s[0]!, s[1]!]);
      tokens.push(s[0]! + s[1]!);
    }
  }
  return { merges, tokens };
}

function vocabOf(base: string[], tokens: string[]): Record<string, number> {
  const vocab: Record<string, number> = {};
  for (const t of [...base, ...tokens]) if (!(t in vocab)) vocab[t] = Object.keys(vocab).length;
  return vocab;
}

function special(id: number, content: string) {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

function bpeModel(vocab: Record<string, number>, merges: [string, string][], extra: object = {}) {
  return { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges, ...extra };
}

const LLAMA3_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

export type FixtureKind = 'gpt2' | 'llama3' | 'llama2';

/** `spans`: word pairs made one token across their space (SentencePiece layout only). */
export function buildTokenizerJson(kind: FixtureKind, words: readonly string[], spans: readonly [string, string][] = []): object {
  if (kind === 'llama2') return sentencePieceStyle(words, spans);
  const b2u = bytesToUnicode();
  const pieces = words.flatMap((w) => [[...w].map((c) => b2u[c.charCodeAt(0)]!), [b2u[32]!, ...[...w].map((c) => b2u[c.charCodeAt(0)]!)]]);
  const { merges, tokens } = mergesFor(pieces);
  const vocab = vocabOf(b2u, tokens);
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: kind === 'gpt2' };
  if (kind === 'gpt2') {
    const eot = Object.keys(vocab).length;
    return { version: '1.0', truncation: null, padding: null, added_tokens: [special(eot, '<|endoftext|>')], normalizer: null, pre_tokenizer: byteLevel, post_processor: byteLevel, decoder: byteLevel, model: bpeModel(vocab, merges) };
  }
  const bos = Object.keys(vocab).length;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(bos, '<|begin_of_text|>'), special(bos + 1, '<|end_of_text|>')],
    normalizer: null,
    pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'Split', pattern: { Regex: LLAMA3_SPLIT }, behavior: 'Isolated', invert: false }, { ...byteLevel, use_regex: false }] },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<|begin_of_text|>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '<|begin_of_text|>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }],
      special_tokens: { '<|begin_of_text|>': { id: '<|begin_of_text|>', ids: [bos], tokens: ['<|begin_of_text|>'] } },
    },
    decoder: byteLevel,
    model: bpeModel(vocab, merges, { ignore_merges: true }),
  };
}

function sentencePieceStyle(words: readonly string[], spans: readonly [string, string][]): object {
  const bytes = Array.from({ length: 256 }, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
  const chars = ['▁', ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?\'"-:;()'];
  const { merges, tokens } = mergesFor([...words.map((w) => ['▁', ...w]), ...spans.map(([a, b]) => ['▁', ...a, '▁', ...b])]);
  const vocab = vocabOf(['<unk>', '<s>', '</s>', ...bytes, ...chars], tokens);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [{ ...special(0, '<unk>') }, special(1, '<s>'), special(2, '</s>')],
    normalizer: { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }] },
    pre_tokenizer: null,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }],
      special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
    },
    decoder: {
      type: 'Sequence',
      decoders: [{ type: 'Replace', pattern: { String: '▁' }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }, { type: 'Strip', content: ' ', start: 1, stop: 0 }],
    },
    model: bpeModel(vocab, merges, { unk_token: '<unk>', fuse_unk: true, byte_fallback: true }),
  };
}

/** Writes `<dir>/tokenizer.json` (and a tokenizer_config.json) and returns the folder. */
export function writeTokenizer(dir: string, kind: FixtureKind, words: readonly string[], spans: readonly [string, string][] = []): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(buildTokenizerJson(kind, words, spans)));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ clean_up_tokenization_spaces: false }));
  return dir;
}
