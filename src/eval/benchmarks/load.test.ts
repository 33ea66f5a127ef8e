import { describe, expect, it } from 'vitest';
import { BENCHMARKS, getBenchmark } from '../registry.js';
import { HAVE_SHARED, NEEDS_SHARED, shared } from '../shared-data.test-util.js';

// Official sizes of the scored splits (and subject counts): a loader that drops or duplicates
// rows is caught here.
const SIZES: Record<string, { n: number; subsets?: number }> = {
  gsm8k: { n: 1319 },
  mmlu: { n: 14042, subsets: 57 },
  cmmlu: { n: 11582, subsets: 67 },
  ceval: { n: 1346, subsets: 52 },
  arc_easy: { n: 2376 },
  arc_challenge: { n: 1172 },
  hellaswag: { n: 10042 },
  truthfulqa_mc1: { n: 817 },
  truthfulqa_mc2_gen: { n: 817 },
  math: { n: 5000, subsets: 7 },
  math500: { n: 500, subsets: 7 },
  humaneval: { n: 164 },
};

describe.skipIf(!HAVE_SHARED)(`loading the real files${NEEDS_SHARED}`, () => {
  it('every benchmark has an expected size', () => {
    expect(BENCHMARKS.map((b) => b.name).sort()).toEqual(Object.keys(SIZES).sort());
  });

  for (const [name, want] of Object.entries(SIZES)) {
    it(`${name}: ${want.n} items${want.subsets ? `, ${want.subsets} subsets` : ''}, ids unique, golds valid`, async () => {
      const b = getBenchmark(name);
      const items = await b.load(shared, { shots: 0, seed: 1234 });
      expect(items.length).toBe(want.n);
      expect(b.describe.size).toBe(want.n);
      expect(new Set(items.map((i) => `${i.subset}/${i.id}`)).size).toBe(want.n);
      if (want.subsets) expect(new Set(items.map((i) => i.subset)).size).toBe(want.subsets);
      // Plain checks, one expect: 14k expect() calls would dominate the run time.
      const bad = items.filter(
        (it) =>
          it.question.length === 0 ||
          it.gold.length === 0 ||
          (it.choices !== undefined && (it.choices.length < 2 || [...it.gold].some((l) => l.charCodeAt(0) - 65 >= it.choices!.length))),
      );
      expect(bad.map((it) => it.id)).toEqual([]);
    });
  }

  it('few-shot examples come from the few-shot split, first n', async () => {
    const mmlu = await getBenchmark('mmlu').load(shared, { shots: 5, seed: 0, subsets: ['anatomy'] });
    expect(mmlu[0]!.fewshot).toHaveLength(5);
    expect(mmlu[0]!.fewshot[0]!.question).toBe('What is the embryological origin of the hyoid bone?');
    const gsm = await getBenchmark('gsm8k').load(shared, { shots: 3, seed: 0, limit: 2 });
    expect(gsm[0]!.fewshot.map((f) => f.question.slice(0, 30))).toEqual([
      'Natalia sold clips to 48 of he',
      'Weng earns $12 an hour for bab',
      'Betty is saving money for a ne',
    ]);
  });
});
