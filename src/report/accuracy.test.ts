import { describe, expect, it } from 'vitest';
import { accuracyRows, accuracySection } from './accuracy.js';

const entry = (score: number, subsets: Record<string, { score: number; n: number }> = {}) => ({ metric: 'accuracy', score, n: 12, correct: 4, unparsed: 4, failed: 0, mode: 'generative', shots: 0, subsets });

describe('accuracy section', () => {
  it('one row per benchmark, subsets folded away, hostile names escaped', () => {
    const html = accuracySection(accuracyRows({ schema: 'evalperf.eval/1', benchmarks: { mmlu: entry(1 / 3, { anatomy: { score: 0.5, n: 6 }, '<img src=x onerror=alert(1)>': { score: 0, n: 6 } }) } }));
    expect(html).toContain('<section id="accuracy">');
    expect(html).toMatch(/<b>mmlu<\/b><details><summary>2 subsets<\/summary>/);
    expect(html).toContain('<td>33.3%</td><td>12</td><td>4</td><td>4</td><td>0</td><td>generative, 0-shot</td>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
  });
  it('a sweep has a row per load level and benchmark', () => {
    const rows = accuracyRows({
      benchmarks: {},
      steps: [
        { step: 0, load: { mode: 'closed', parallel: 1 }, benchmarks: { gsm8k: entry(0.8) } },
        { step: 1, load: { mode: 'closed', parallel: 64 }, benchmarks: { gsm8k: entry(0.75) } },
      ],
    });
    expect(rows.map((r) => [r.level, r.benchmark, r.entry.score])).toEqual([
      ['step 1: 1 parallel', 'gsm8k', 0.8],
      ['step 2: 64 parallel', 'gsm8k', 0.75],
    ]);
    expect(accuracySection(rows)).toContain('<th>load</th>');
  });
  it('nothing for a load run or a document without benchmarks', () => {
    expect(accuracySection(accuracyRows(null))).toBe('');
    expect(accuracySection(accuracyRows({ schema: 'x' }))).toBe('');
  });
});
