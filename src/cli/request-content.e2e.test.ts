import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StepSummary } from '../metrics/summary.js';
import { loadTokenizer } from '../tokenizer/tokenizer.js';
import { readJson, readJsonl, runCli, runDir, tempDir } from './e2e.test-util.js';
import { startFake } from './fake-server.test-util.js';

/**
 * What the built CLI sends and how it reads what comes back, against a fake server that keeps
 * every body and answers as told: multi-turn history, images, token counts without usage.
 */
type Summary = { steps: StepSummary[] };
type Line = { output_tokens: number; max_tokens: number | null; token_source: string };
type Part = { type: string; text?: string; image_url?: { url: string } };

const out = tempDir('content');
afterAll(() => out.remove());

describe('what the client sends', () => {
  it('--turns sends back each reply exactly as streamed, in order, as the assistant turns', async () => {
    const replies = new Set<string>();
    const fake = await startFake((_b, n) => {
      // A reply no other request gets, with quotes, a newline and non-ASCII, in two chunks.
      const text = `reply ${n} "quoted"\nline, and a few more words ${'é'.repeat(n % 5)}`;
      replies.add(text);
      return { parts: [text.slice(0, 5), text.slice(5)], usage: { prompt: 7, completion: 3 } };
    });
    try {
      const r = await runCli(['run', '--url', fake.url, '--parallel', '3', '--number', '15', '--turns', '2:4', '--input-tokens', '5', '--no-tui', '--out', join(out.path, 'history')]);
      expect(r.code, r.stderr).toBe(0);
      expect(fake.bodies).toHaveLength(15);
      let later = 0;
      for (const b of fake.bodies as { messages: { role: string; content: string }[] }[]) {
        expect(b.messages.every((m, i) => m.role === (i % 2 === 0 ? 'user' : 'assistant'))).toBe(true);
        for (const m of b.messages.filter((x) => x.role === 'assistant')) expect(replies.has(m.content)).toBe(true);
        if (b.messages.length > 1) later++;
      }
      expect(later).toBeGreaterThan(5);
    } finally {
      await fake.close();
    }
  });

  it('--images sends N distinct generated PNGs with each prompt, as image_url data URLs', async () => {
    const fake = await startFake(() => ({ parts: ['a b'], usage: null }));
    try {
      const dir = join(out.path, 'images');
      const r = await runCli(['run', '--url', fake.url, '--parallel', '2', '--number', '5', '--images', '2', '--image-size', '40x30', '--input-tokens', '8', '--no-tui', '--out', dir]);
      expect(r.code, r.stderr).toBe(0);
      expect(fake.bodies).toHaveLength(5);
      const urls = (fake.bodies as { messages: { content: Part[] }[] }[]).flatMap((b) => {
        const parts = b.messages[0]!.content;
        expect(parts.map((p) => p.type)).toEqual(['text', 'image_url', 'image_url']);
        expect(parts[0]!.text!.split(' ')).toHaveLength(8);
        return parts.slice(1).map((p) => p.image_url!.url);
      });
      expect(new Set(urls).size).toBe(10);
      for (const u of urls) {
        const png = Buffer.from(u.replace(/^data:image\/png;base64,/, ''), 'base64');
        expect([png.toString('latin1', 12, 16), png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual(['IHDR', 40, 30]);
      }
      expect(readJson<{ prompts: { images: object } }>(join(runDir(dir), 'run.json')).prompts.images).toEqual({ count: 2, width: 40, height: 30 });
    } finally {
      await fake.close();
    }
  });
});

describe('how the client counts what comes back', () => {
  it('--tokenizer counts each reply when there is no usage (token_source tokenizer); without it, one token per content event', async () => {
    const replies: string[] = [];
    const fake = await startFake((_b, n) => {
      const text = `Counting ${n} tokens: naïve café, 1234567 ${'x'.repeat(n)}`;
      replies.push(text);
      return { parts: [text.slice(0, 9), text.slice(9)], usage: null };
    });
    try {
      const tok = await loadTokenizer({ kind: 'tiktoken', encoding: 'cl100k_base' });
      const dir = join(out.path, 'tok');
      const r = await runCli(['run', '--url', fake.url, '--parallel', '2', '--number', '6', '--tokenizer', 'tiktoken:cl100k_base', '--json', '--out', dir]);
      expect(r.code, r.stderr).toBe(0);
      const lines = readJsonl<Line>(join(runDir(dir), 'requests.jsonl'));
      expect(lines.every((l) => l.token_source === 'tokenizer')).toBe(true);
      // Each reply counted exactly (the replies differ in length, so the counts differ).
      const counts = new Set(replies.map((t) => tok.count(t)));
      expect(lines.every((l) => counts.has(l.output_tokens))).toBe(true);
      expect(lines.reduce((a, l) => a + l.output_tokens, 0)).toBe(replies.reduce((a, t) => a + tok.count(t), 0));
      expect((JSON.parse(r.stdout) as Summary).steps[0]!.tokens.output_source).toBe('tokenizer');

      const plainDir = join(out.path, 'plain');
      const plain = await runCli(['run', '--url', fake.url, '--parallel', '1', '--number', '2', '--json', '--out', plainDir]);
      expect(plain.code, plain.stderr).toBe(0);
      expect(readJsonl<Line>(join(runDir(plainDir), 'requests.jsonl')).map((l) => [l.output_tokens, l.token_source])).toEqual([[2, 'estimate'], [2, 'estimate']]);
    } finally {
      await fake.close();
    }
  });

  it('a reasoning reply without usage is counted per event even with --tokenizer: its reasoning text is not collected', async () => {
    const fake = await startFake(() => ({ reasoning: ['Let', ' me', ' think'], parts: ['The answer', ' is 4.'], usage: null }));
    try {
      const dir = join(out.path, 'reasoning');
      const r = await runCli(['run', '--url', fake.url, '--parallel', '1', '--number', '2', '--tokenizer', 'tiktoken:cl100k_base', '--json', '--out', dir]);
      expect(r.code, r.stderr).toBe(0);
      expect(readJsonl<Line>(join(runDir(dir), 'requests.jsonl')).map((l) => [l.output_tokens, l.token_source])).toEqual([[5, 'estimate'], [5, 'estimate']]);
    } finally {
      await fake.close();
    }
  });

  it('says so when a server ignores --ignore-eos: replies shorter than their max_tokens', async () => {
    // A server that stops after 3 tokens whatever it was asked.
    const fake = await startFake(() => ({ parts: ['a', ' b', ' c'], usage: { prompt: 5, completion: 3 } }));
    try {
      const dir = join(out.path, 'eos');
      const r = await runCli(['run', '--url', fake.url, '--parallel', '2', '--number', '6', '--max-tokens', '10', '--ignore-eos', '--json', '--out', dir]);
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as Summary).steps[0]!.replies_vs_max_tokens).toEqual({ counted: 6, shorter: 6 });
      expect(r.stderr).toMatch(/warning: the server did not honour --ignore-eos: 6 of 6 replies were shorter than their max_tokens/);
      expect(readJsonl<Line>(join(runDir(dir), 'requests.jsonl')).every((l) => l.max_tokens === 10 && l.output_tokens === 3)).toBe(true);
      expect((fake.bodies as { ignore_eos: boolean; min_tokens: number }[]).every((b) => b.ignore_eos === true && b.min_tokens === 10)).toBe(true);
    } finally {
      await fake.close();
    }
  });
});
