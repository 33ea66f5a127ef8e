import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getBenchmark } from '../registry.js';
import { HAVE_SHARED, NEEDS_SHARED, SHARED_DATASETS, shared } from '../shared-data.test-util.js';
import type { RunOptions } from '../types.js';

// The reference solutions, fed back as replies, must score 100%: a check of the extraction and
// the checker against every real item, not just hand-picked ones.
const lines = (rel: string, key: string): string[] =>
  readFileSync(join(SHARED_DATASETS, rel), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as Record<string, string>)[key]!);

describe.skipIf(!HAVE_SHARED)(`reference solutions score 100%${NEEDS_SHARED}`, () => {
  const chat0: RunOptions = { mode: 'generative', shots: 0, api: 'chat' };

  it.each([
    ['math', 'math/math_test.jsonl'],
    ['math500', 'math/math500_test.jsonl'],
  ])('%s: every solution (its last \\boxed{}) is equivalent to the gold', async (name, rel) => {
    const b = getBenchmark(name);
    const items = await b.load(shared, { shots: 0, seed: 0 });
    const sols = lines(rel, 'solution');
    const wrong = items.filter((it, k) => b.score(b.extract({ text: sols[k]! }, it, chat0), it) !== 1);
    expect(wrong.map((w) => w.id)).toEqual([]);
  });

  it('gsm8k: every worked answer passes flexible and strict (few-shot rules) and the 0-shot chain', async () => {
    const b = getBenchmark('gsm8k');
    const items = await b.load(shared, { shots: 0, seed: 0 });
    const answers = lines('gsm8k/test.jsonl', 'answer');
    const few: RunOptions = { mode: 'generative', shots: 5, api: 'completions' };
    const wrong = items.filter((it, k) => {
      const ex = b.extract({ text: answers[k]! }, it, few);
      const ex0 = b.extract({ text: answers[k]! }, it, chat0);
      return b.score(ex, it) !== 1 || b.secondaryScores!(ex, it).strict_match !== 1 || b.score(ex0, it) !== 1;
    });
    expect(wrong.map((w) => w.id)).toEqual([]);
  });

  it('multiple choice: "Answer: <gold>" scores 1 and its neighbour letter 0, for every item', async () => {
    for (const name of ['mmlu', 'cmmlu', 'ceval', 'arc_easy', 'arc_challenge', 'hellaswag', 'truthfulqa_mc1']) {
      const b = getBenchmark(name);
      const items = await b.load(shared, { shots: 0, seed: 3 });
      const wrong = items.filter((it) => {
        const other = String.fromCharCode(((it.gold.charCodeAt(0) - 65 + 1) % it.choices!.length) + 65);
        return b.score(b.extract({ text: `Thinking...\nAnswer: ${it.gold}` }, it, chat0), it) !== 1 || b.score(b.extract({ text: `Answer: ${other}` }, it, chat0), it) !== 0;
      });
      expect(wrong.map((w) => w.id), name).toEqual([]);
    }
  });
});
