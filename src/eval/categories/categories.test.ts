import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAVE_SHARED, NEEDS_SHARED, SHARED_DATASETS } from '../shared-data.test-util.js';
import { CEVAL_SUBJECTS } from './ceval.js';
import { CMMLU_CATEGORY_SUBCATEGORIES, CMMLU_SUBJECTS, cmmluCategories } from './cmmlu.js';
import { MMLU_CATEGORIES, MMLU_CATEGORY_SUBCATEGORIES, MMLU_SUBJECTS, mmluCategory } from './mmlu.js';

describe('category tables', () => {
  it('MMLU: 57 subjects, each subcategory in exactly one of the four categories', () => {
    expect(Object.keys(MMLU_SUBJECTS)).toHaveLength(57);
    for (const sub of new Set(Object.values(MMLU_SUBJECTS))) {
      expect(Object.values(MMLU_CATEGORY_SUBCATEGORIES).filter((subs) => subs.includes(sub)), sub).toHaveLength(1);
    }
    for (const s of Object.keys(MMLU_SUBJECTS)) expect(MMLU_CATEGORIES).toContain(mmluCategory(s));
    expect([MMLU_SUBJECTS.high_school_statistics, mmluCategory('high_school_statistics')]).toEqual(['math', 'STEM']);
    expect([MMLU_SUBJECTS.professional_accounting, mmluCategory('professional_accounting')]).toEqual(['other', 'other (business, health, misc.)']);
    expect(mmluCategory('sociology')).toBe('social sciences');
  });

  it('CMMLU: 67 subjects, categories from their subcategories (some in two)', () => {
    expect(Object.keys(CMMLU_SUBJECTS)).toHaveLength(67);
    // A subcategory in no category would drop its subject from a category without a word.
    const known = new Set(Object.values(CMMLU_CATEGORY_SUBCATEGORIES).flat());
    for (const [s, [, subs]] of Object.entries(CMMLU_SUBJECTS)) for (const sub of subs) expect(known, `${s}: ${sub}`).toContain(sub);
    expect(cmmluCategories('ancient_chinese')).toEqual(['Social Science', 'China specific']);
    expect(cmmluCategories('chinese_driving_rule')).toEqual(['Other', 'China specific']);
    expect(cmmluCategories('world_religions')).toEqual(['Humanities']);
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
    expect(CMMLU_CATEGORY_SUBCATEGORIES).toEqual(j.categories);
    for (const [s, [zh, subs]] of Object.entries(CMMLU_SUBJECTS)) {
      expect(zh).toBe(j.name_en2zh[s]);
      expect(subs).toEqual(j.subcategories[s]);
      expect(cmmluCategories(s)).toEqual(Object.keys(j.categories).filter((c) => subs.some((x) => j.categories[c]!.includes(x))));
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
