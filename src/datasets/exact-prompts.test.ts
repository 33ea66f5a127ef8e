import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTokenizer, type FixtureKind } from '../tokenizer/fixtures.test-util.js';
import { loadTokenizer, type Tokenizer } from '../tokenizer/tokenizer.js';
import { exactWords, singleTokenWords, verifyPrompts } from './exact-prompts.js';
import { parseLength } from './lengths.js';
import { prefixText, randomPrompt, type RandomPromptSpec } from './random.js';
import { WORDS } from './synthetic.js';

/**
 * Prompts of exact length under real tokenizer layouts: each prompt is re-encoded and counted
 * here, independently of the checks the run makes itself. The fixtures keep only some of the
 * common words whole, so the word choice is tested too.
 */
const dir = mkdtempSync(join(tmpdir(), 'evalperf-exact-'));
const tokenizers: Tokenizer[] = [];
const KNOWN = WORDS.filter((_, i) => i % 3 !== 0);

beforeAll(async () => {
  for (const kind of ['gpt2', 'llama3', 'llama2'] as FixtureKind[]) {
    const d = writeTokenizer(join(dir, kind), kind, KNOWN);
    tokenizers.push(await loadTokenizer({ kind: 'hf', name: kind, file: join(d, 'tokenizer.json'), config: join(d, 'tokenizer_config.json') }));
  }
  tokenizers.push(await loadTokenizer({ kind: 'tiktoken', encoding: 'cl100k_base' }));
  tokenizers.push(await loadTokenizer({ kind: 'tiktoken', encoding: 'o200k_base' }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const wordsOf = new Map<Tokenizer, string[]>();
const specFor = (tok: Tokenizer, input: string, prefixTokens: number, seed = 3): RandomPromptSpec => {
  const words = wordsOf.get(tok) ?? exactWords(tok);
  wordsOf.set(tok, words);
  return { words, prefix: prefixText(words, prefixTokens, seed), prefixTokens, inputTokens: parseLength(input, '--input-tokens'), seed, marker: false };
};

describe('exact-length random prompts', () => {
  it('every tokenizer counts every prompt at exactly the length asked, with and without a shared prefix', () => {
    for (const tok of tokenizers) {
      for (const [input, prefix] of [['1', 0], ['7', 0], ['128', 0], ['1000', 0], ['64:600', 0], ['normal:300,80', 0], ['256', 200]] as const) {
        const spec = specFor(tok, input, prefix);
        for (const stream of [0, 3]) {
          for (let i = 0; i < 6; i++) {
            const p = randomPrompt(spec, stream, i);
            expect(tok.count(p.text), `${tok.name} --input-tokens ${input} --prefix-tokens ${prefix}: request ${i} of stream ${stream}`).toBe(p.tokens);
            if (prefix > 0) expect(tok.count(spec.prefix)).toBe(prefix);
          }
        }
      }
    }
  });

  it('decode(encode(prompt)) is the prompt, so the server sees the text that was counted', () => {
    for (const tok of tokenizers) {
      const p = randomPrompt(specFor(tok, '300', 40), 1, 17);
      const ids = tok.encode(p.text);
      expect(ids).toHaveLength(300);
      expect(tok.decode(ids).trim()).toBe(p.text);
    }
  });

  it('keeps only words the tokenizer holds whole', () => {
    const gpt2 = tokenizers[0]!;
    const words = singleTokenWords(gpt2);
    expect(words.length).toBeGreaterThan(60);
    expect(words.every((w) => KNOWN.includes(w))).toBe(true);
  });

  it('drops words that a vocabulary merges across a space', async () => {
    // A SentencePiece-style vocabulary with "▁in▁is" as one token (as "▁of▁the" might be).
    const d = writeTokenizer(join(dir, 'multi'), 'llama2', KNOWN, [['in', 'is']]);
    const tok = await loadTokenizer({ kind: 'hf', name: 'multi', file: join(d, 'tokenizer.json'), config: null });
    expect(tok.count('in is')).toBe(1);
    const words = singleTokenWords(tok);
    expect(words.includes('in') && words.includes('is')).toBe(false);
    const spec = specFor(tok, '500', 0);
    for (let i = 0; i < 20; i++) expect(tok.count(randomPrompt(spec, 0, i).text)).toBe(500);
  });

  it('refuses a tokenizer with too few whole words, and a prompt that does not count right', async () => {
    const d = writeTokenizer(join(dir, 'tiny'), 'gpt2', WORDS.slice(0, 5));
    const tiny = await loadTokenizer({ kind: 'hf', name: 'tiny', file: join(d, 'tokenizer.json'), config: null });
    expect(() => exactWords(tiny)).toThrow(/only 5 common English words are one token each.*use --dataset/);
    const gpt2 = tokenizers[0]!;
    const bad = { ...specFor(gpt2, '50', 0), words: ['hello', 'world', 'xyzzy'] };
    expect(() => verifyPrompts(bad, gpt2, 4)).toThrow(/prompt 0 came out \d+ tokens, not 50/);
  });
});
