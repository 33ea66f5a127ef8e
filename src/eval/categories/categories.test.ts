import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAVE_SHARED, NEEDS_SHARED, SHARED_DATASETS } from '../shared-data.test-util.js';
import { CEVAL_SUBJECTS } from './ceval.js';
import { CMMLU_CATEGORIES, CMMLU_SUBJECTS } from './cmmlu.js';
import { MMLU_CATEGORIES, MMLU_SUBJECTS } from './mmlu.js';

describe('category tables', () => {
  it('MMLU: 57 subjects, each in one of the four categories', () => {
    expect(Object.keys(MMLU_SUBJECTS)).toHaveLength(57);
    for (const [, cat] of Object.values(MMLU_SUBJECTS)) expect(MMLU_CATEGORIES).toContain(cat);
    expect(MMLU_SUBJECTS.high_school_statistics).toEqual(['math', 'STEM']);
    expect(MMLU_SUBJECTS.professional_accounting).toEqual(['other', 'other (business, health, misc.)']);
  });

  it('CMMLU: 67 subjects, categories from their subcategories (some in two)', () => {
    expect(Object.keys(CMMLU_SUBJECTS)).toHaveLength(67);
    for (const [, , cats] of Object.values(CMMLU_SUBJECTS)) for (const c of cats) expect(CMMLU_CATEGORIES).toContain(c);
    expect(CMMLU_SUBJECTS.ancient_chinese![2]).toEqual(['Social Science', 'China specific']);
  });

  it('C-Eval: 52 subjects', () => {
    expect(Object.keys(CEVAL_SUBJECTS)).toHaveLength(52);
  });
});

describe.skipIf(!HAVE_SHARED)(`the tables match the official files${NEEDS_SHARED}`, () => {
  it('CMMLU categories.json', () => {
    const j = JSON.parse(readFileSync(join(SHARED_DATASETS, 'cmmlu/categories.json'), 'utf8')) as {
      name_en2zh: Record<string, string>;
      subcategories: Record<string, string[]>;
      categories: Record<string, string[]>;
    };
    for (const [s, [zh, subs, cats]] of Object.entries(CMMLU_SUBJECTS)) {
      expect(zh).toBe(j.name_en2zh[s]);
      expect(subs).toEqual(j.subcategories[s]);
      expect(cats).toEqual(Object.keys(j.categories).filter((c) => subs.some((x) => j.categories[c]!.includes(x))));
    }
    expect(Object.keys(CMMLU_SUBJECTS).sort()).toEqual(readdirSync(join(SHARED_DATASETS, 'cmmlu/data/test')).map((f) => f.replace(/\.csv$/, '')).sort());
  });

  it('C-Eval subject_mapping.json and the val folder', () => {
    const j = JSON.parse(readFileSync(join(SHARED_DATASETS, 'ceval/subject_mapping.json'), 'utf8')) as Record<string, string[]>;
    expect(Object.fromEntries(Object.entries(CEVAL_SUBJECTS).map(([k, v]) => [k, [...v]]))).toEqual(j);
    expect(Object.keys(CEVAL_SUBJECTS).sort()).toEqual(readdirSync(join(SHARED_DATASETS, 'ceval/val')).map((f) => f.replace(/_val\.csv$/, '')).sort());
  });

  it('MMLU subjects are the test folder’s', () => {
    expect(Object.keys(MMLU_SUBJECTS).sort()).toEqual(readdirSync(join(SHARED_DATASETS, 'mmlu/test')).map((f) => f.replace(/_test\.csv$/, '')).sort());
  });
});
