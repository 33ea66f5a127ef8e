/**
 * CMMLU (test 11582, 67 subjects) and C-Eval (scored on val, 1346, 52 subjects: test has no
 * labels). Both CC BY-NC-SA 4.0: non-commercial use only.
 *
 * CMMLU local: `cmmlu/data/{test,dev}/<subject>.csv` with header `,Question,A,B,C,D,Answer`;
 * hub: haonan-li/cmmlu ships only `cmmlu_v1_0_1.zip` holding the same CSVs.
 * C-Eval local: `ceval/{val,dev}/<subject>_<split>.csv` (id,question,A,B,C,D,answer[,explanation]);
 * hub: ceval/ceval-exam `<subject>/{val,dev}-00000-of-00001.parquet`.
 */
import { CEVAL_SUBJECTS } from '../categories/ceval.js';
import { CMMLU_SUBJECTS, cmmluCategories } from '../categories/cmmlu.js';
import { csvObjects } from '../data/csv.js';
import { DataError } from '../data/errors.js';
import { mapLimit, readHubParquet, readHubZip } from '../data/hub.js';
import { goldLetter, readLocalCsvObjects, str, type DataSource, type Located, type Row } from '../data/source.js';
import { EVALSCOPE_ZH_SINGLE_COT, dottedBlock, fill, letterList, parenOptions } from '../prompt/templates.js';
import { mcAdapter, type McSpec } from './mc.js';
import { loadSubjectItems, type SubjectQuestion } from './subject-items.js';

/** Keys differ in case between the two (Question/question, Answer/answer). */
function toQ(r: Located<Row>, keys: { q: string; a: string }): SubjectQuestion {
  const choices = ['A', 'B', 'C', 'D'].map((k) => str(r, k));
  return { question: str(r, keys.q), choices, answer: goldLetter(r, str(r, keys.a).trim(), 4) };
}

const CMMLU_KEYS = { q: 'Question', a: 'Answer' };
const CEVAL_KEYS = { q: 'question', a: 'answer' };

async function cmmluSplit(source: DataSource, split: 'test' | 'dev', subjects: string[]): Promise<Map<string, SubjectQuestion[]>> {
  const out = new Map<string, SubjectQuestion[]>();
  if (source.kind === 'dir') {
    for (const s of subjects) out.set(s, (await readLocalCsvObjects(source, `cmmlu/data/${split}/${s}.csv`)).map((r) => toQ(r, CMMLU_KEYS)));
    return out;
  }
  const wanted = new Map(subjects.map((s) => [`${split}/${s}.csv`, s]));
  const key = (name: string): string => name.split('/').slice(-2).join('/');
  const files = await readHubZip(source, 'haonan-li/cmmlu', 'cmmlu_v1_0_1.zip', (name) => wanted.has(key(name)));
  for (const [name, { text, file }] of files) {
    const rows = csvObjects(text, file).map((r) => ({ value: r.row as Row, loc: `${file}:${r.line}` }));
    out.set(wanted.get(key(name))!, rows.map((r) => toQ(r, CMMLU_KEYS)));
  }
  for (const s of subjects) if (!out.has(s)) throw new DataError(`haonan-li/cmmlu cmmlu_v1_0_1.zip: no ${split}/${s}.csv`);
  return out;
}

async function cevalSplit(source: DataSource, split: 'val' | 'dev', subjects: string[]): Promise<Map<string, SubjectQuestion[]>> {
  const lists = await mapLimit(subjects, 8, async (s) => {
    const rows =
      source.kind === 'dir'
        ? await readLocalCsvObjects(source, `ceval/${split}/${s}_${split}.csv`)
        : await readHubParquet(source, 'ceval/ceval-exam', `${s}/${split}-00000-of-00001.parquet`);
    return rows.map((r) => toQ(r, CEVAL_KEYS));
  });
  return new Map(subjects.map((s, k) => [s, lists[k]!]));
}

const CMMLU_LIST = Object.keys(CMMLU_SUBJECTS).sort();
const CEVAL_LIST = Object.keys(CEVAL_SUBJECTS).sort();

const cot: McSpec['cot'] = {
  name: 'evalscope-chinese-single-answer-cot',
  render: (item) =>
    fill(EVALSCOPE_ZH_SINGLE_COT, { question: item.question, choices: parenOptions(item.choices ?? []), letters: letterList(item.choices?.length ?? 0) }),
};
const block = (q: string, choices: string[]): string => dottedBlock(q.trim(), choices, '答案：');

export const cmmlu = mcAdapter({
  name: 'cmmlu',
  describe: {
    title: 'CMMLU',
    license: 'CC BY-NC-SA 4.0 (non-commercial)',
    split: 'test',
    size: 11582,
    fewshotSplit: 'dev',
    maxShots: 5,
    defaultShots: 0,
    modes: ['generative', 'logprob'],
    subsets: CMMLU_LIST,
    hubRepo: 'haonan-li/cmmlu',
    localDir: 'cmmlu',
  },
  load: (source, opts) => loadSubjectItems({ name: 'cmmlu', subjects: CMMLU_LIST, scored: 'test', readSplit: cmmluSplit, categories: cmmluCategories }, source, opts),
  lang: 'zh',
  cot,
  fewshot: {
    name: 'lm-eval-cmmlu',
    prefix: (item) => `以下是关于${CMMLU_SUBJECTS[item.subset]![0]}的单项选择题，请直接给出正确答案的选项。\n\n`,
    block,
  },
});

export const ceval = mcAdapter({
  name: 'ceval',
  describe: {
    title: 'C-Eval (val)',
    license: 'CC BY-NC-SA 4.0 (non-commercial)',
    split: 'val',
    size: 1346,
    fewshotSplit: 'dev',
    maxShots: 5,
    defaultShots: 0,
    modes: ['generative', 'logprob'],
    subsets: CEVAL_LIST,
    hubRepo: 'ceval/ceval-exam',
    localDir: 'ceval',
  },
  load: (source, opts) => loadSubjectItems({ name: 'ceval', subjects: CEVAL_LIST, scored: 'val', readSplit: cevalSplit, categories: (s) => [CEVAL_SUBJECTS[s]![2]] }, source, opts),
  lang: 'zh',
  cot,
  fewshot: {
    name: 'lm-eval-ceval-valid',
    prefix: (item) => `以下是中国关于${CEVAL_SUBJECTS[item.subset]![1]}的单项选择题，请选出其中的正确答案。\n\n`,
    block,
  },
});
