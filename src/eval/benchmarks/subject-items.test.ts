import { describe, expect, it } from 'vitest';
import { localSource } from '../data/source.js';
import { loadSubjectItems, type SubjectBenchmark, type SubjectQuestion } from './subject-items.js';

const q = (question: string): SubjectQuestion => ({ question, choices: ['a', 'b', 'c', 'd'], answer: 'B' });

/** Two subjects, three scored questions and two dev ones each; notes which splits were read. */
function fake(): { bench: SubjectBenchmark<'val'>; reads: string[] } {
  const reads: string[] = [];
  const bench: SubjectBenchmark<'val'> = {
    name: 'fake',
    subjects: ['art', 'law'],
    scored: 'val',
    async readSplit(_source, split, subjects) {
      reads.push(`${split}:${subjects.join(',')}`);
      const n = split === 'dev' ? 2 : 3;
      return new Map(subjects.map((s) => [s, Array.from({ length: n }, (_, k) => q(`${s} ${split} ${k}`))]));
    },
    categories: (s) => [s === 'law' ? 'Humanities' : 'Other'],
  };
  return { bench, reads };
}
const source = localSource('/nowhere');

describe('loadSubjectItems', () => {
  it.each<[string, { shots: number; subsets?: string[]; limit?: number }, string[], string[], number]>([
    ['no shots: dev is never read', { shots: 0 }, ['val:art,law'], ['art/0', 'art/1', 'art/2', 'law/0', 'law/1', 'law/2'], 0],
    ['shots: the first n of the same subject’s dev', { shots: 1 }, ['val:art,law', 'dev:art,law'], ['art/0', 'art/1', 'art/2', 'law/0', 'law/1', 'law/2'], 1],
    ['more shots than dev holds: all of dev', { shots: 5 }, ['val:art,law', 'dev:art,law'], ['art/0', 'art/1', 'art/2', 'law/0', 'law/1', 'law/2'], 2],
    ['--subsets reads only those subjects', { shots: 0, subsets: ['law'] }, ['val:law'], ['law/0', 'law/1', 'law/2'], 0],
    ['--limit round-robin over subjects', { shots: 0, limit: 3 }, ['val:art,law'], ['art/0', 'art/1', 'law/0'], 0],
  ])('%s', async (_name, opts, reads, ids, shots) => {
    const f = fake();
    const items = await loadSubjectItems(f.bench, source, { seed: 0, ...opts });
    expect(f.reads).toEqual(reads);
    expect(items.map((i) => i.id)).toEqual(ids);
    expect(items.every((i) => i.fewshot.length === shots && i.fewshot.every((e) => e.question.startsWith(`${i.subset} dev`)))).toBe(true);
  });

  it('an item carries its subject, categories, question, choices and gold', async () => {
    const [first] = await loadSubjectItems(fake().bench, source, { shots: 0, seed: 0, subsets: ['law'] });
    expect(first).toEqual({ benchmark: 'fake', id: 'law/0', subset: 'law', categories: ['Humanities'], question: 'law val 0', choices: ['a', 'b', 'c', 'd'], gold: 'B', fewshot: [] });
  });

  it('an unknown subject is an error naming it', async () => {
    await expect(loadSubjectItems(fake().bench, source, { shots: 0, seed: 0, subsets: ['music'] })).rejects.toThrow(/fake: unknown subset "music"/);
  });
});
