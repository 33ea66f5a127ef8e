import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getBenchmark } from '../registry.js';
import { applyLimit, pickSubsets } from './select.js';
import { localSource } from './source.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'evalperf-data-test-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function put(rel: string, text: string): string {
  const file = join(root, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

describe('local data errors are one line naming the file and line', () => {
  it('a missing file', async () => {
    await expect(getBenchmark('gsm8k').load(localSource(root), { shots: 0, seed: 0 })).rejects.toThrow(
      `${join(root, 'gsm8k/test.jsonl')}: not found (--data-dir must mirror the shared datasets layout)`,
    );
  });

  it('malformed JSON on a line', async () => {
    const f = put('gsm8k/test.jsonl', '{"question": "q", "answer": "#### 1"}\n{"question": oops}\n');
    await expect(getBenchmark('gsm8k').load(localSource(root), { shots: 0, seed: 0 })).rejects.toThrow(new RegExp(`^${f}:2: malformed JSON`));
  });

  it('a row without the expected field or gold', async () => {
    const f = put('gsm8k/test.jsonl', '{"question": "q", "answer": "#### 1"}\n\n{"question": "q2", "answer": "no marker"}\n');
    await expect(getBenchmark('gsm8k').load(localSource(root), { shots: 0, seed: 0 })).rejects.toThrow(`${f}:3: answer has no "#### <number>" line`);
    put('gsm8k/test.jsonl', '{"question": 5, "answer": "#### 1"}\n');
    await expect(getBenchmark('gsm8k').load(localSource(root), { shots: 0, seed: 0 })).rejects.toThrow(`${f}:1: field "question" missing or not a string`);
  });

  it('a CSV row with the wrong number of fields, or an answer that is not an option', async () => {
    const f = put('mmlu/test/anatomy_test.csv', 'q1,a,b,c,d,A\n"q2, with comma",a,b,c,d\n');
    await expect(getBenchmark('mmlu').load(localSource(root), { shots: 0, seed: 0, subsets: ['anatomy'] })).rejects.toThrow(`${f}:2: expected 6 fields, found 5`);
    put('mmlu/test/anatomy_test.csv', 'q1,a,b,c,d,A\n"multi\nline q",a,b,c,d,E\n');
    await expect(getBenchmark('mmlu').load(localSource(root), { shots: 0, seed: 0, subsets: ['anatomy'] })).rejects.toThrow(`${f}:2: answer "E" is not one of 4 options`);
  });

  it('an ARC answer key that names no option', async () => {
    const f = put('arc/ARC-Easy/ARC-Easy-Test.jsonl', JSON.stringify({ id: 'x', question: { stem: 's', choices: [{ text: 'a', label: '1' }, { text: 'b', label: '2' }] }, answerKey: 'C' }) + '\n');
    await expect(getBenchmark('arc_easy').load(localSource(root), { shots: 0, seed: 0 })).rejects.toThrow(`${f}:1: answerKey "C" is not one of the labels 1,2`);
  });
});

describe('subsets and limit', () => {
  it('unknown subsets are named with the valid ones', () => {
    expect(pickSubsets('x', ['a', 'b', 'c'], ['c', 'a'])).toEqual(['a', 'c']);
    expect(pickSubsets('x', ['a', 'b'], undefined)).toEqual(['a', 'b']);
    expect(() => pickSubsets('mmlu', ['a', 'b'], ['a', 'zz'])).toThrow('mmlu: unknown subset "zz" (valid: a, b)');
  });

  it('limit takes items round-robin over subsets and keeps their order', () => {
    const items = [...['a', 'a', 'a', 'a', 'b', 'c', 'c']].map((subset, k) => ({ subset, k }));
    expect(applyLimit(items, 4).map((i) => i.k)).toEqual([0, 1, 4, 5]);
    expect(applyLimit(items, 100)).toHaveLength(7);
    expect(applyLimit(items, 0)).toEqual([]);
    expect(() => applyLimit(items, -1)).toThrow('--limit must be a non-negative integer');
  });
});
