/**
 * MMLU (test 14042, 57 subjects; dev holds 5 few-shot items per subject).
 * Local: `mmlu/{test,dev}/<subject>_<split>.csv`, no header: question,A,B,C,D,answer-letter.
 * Hub: cais/mmlu `all/{test,dev}-00000-of-00001.parquet` (question, subject, choices, answer 0-3).
 */
import { MMLU_SUBJECTS, mmluCategory } from '../categories/mmlu.js';
import { DataError } from '../data/errors.js';
import { readHubParquet } from '../data/hub.js';
import { goldLetter, int, letterOf, readLocalCsvRecords, str, strArray, type DataSource, type Located, type Row } from '../data/source.js';
import { SIMPLE_EVALS_MC, dottedBlock, fill, parenOptions } from '../prompt/templates.js';
import { mcAdapter } from './mc.js';
import { loadSubjectItems, type SubjectQuestion } from './subject-items.js';

const SUBJECTS = Object.keys(MMLU_SUBJECTS).sort();

async function loadSplit(source: DataSource, split: 'test' | 'dev', subjects: string[]): Promise<Map<string, SubjectQuestion[]>> {
  const out = new Map<string, SubjectQuestion[]>();
  if (source.kind === 'dir') {
    for (const s of subjects) {
      const rows = await readLocalCsvRecords(source, `mmlu/${split}/${s}_${split}.csv`, 6);
      out.set(
        s,
        rows.map((r) => {
          const [question, a, b, c, d, ans] = r.value as [string, string, string, string, string, string];
          return { question, choices: [a, b, c, d], answer: goldLetter(r, ans.trim(), 4) };
        }),
      );
    }
    return out;
  }
  const rows = await readHubParquet(source, 'cais/mmlu', `all/${split}-00000-of-00001.parquet`);
  const wanted = new Set(subjects);
  for (const r of rows) {
    const subject = str(r, 'subject');
    if (!wanted.has(subject)) continue;
    const q = hubQuestion(r);
    const list = out.get(subject);
    if (list) list.push(q);
    else out.set(subject, [q]);
  }
  for (const s of subjects) if (!out.has(s)) throw new DataError(`cais/mmlu ${split}: no rows for subject ${s}`);
  return out;
}

/** A cais/mmlu row: `choices` a list of 4 strings, `answer` an index. */
export function hubQuestion(r: Located<Row>): SubjectQuestion {
  const choices = strArray(r, 'choices');
  if (choices.length !== 4) throw new DataError(`${r.loc}: expected 4 choices, found ${choices.length}`);
  const k = int(r, 'answer');
  return { question: str(r, 'question'), choices, answer: goldLetter(r, letterOf(k), 4) };
}

const subjectName = (s: string): string => s.replace(/_/g, ' ');

export const mmlu = mcAdapter({
  name: 'mmlu',
  describe: {
    title: 'MMLU',
    license: 'MIT',
    split: 'test',
    size: 14042,
    fewshotSplit: 'dev',
    maxShots: 5,
    defaultShots: 0,
    modes: ['generative', 'logprob'],
    subsets: SUBJECTS,
    hubRepo: 'cais/mmlu',
    localDir: 'mmlu',
  },
  load: (source, opts) => loadSubjectItems({ name: 'mmlu', subjects: SUBJECTS, scored: 'test', readSplit: loadSplit, categories: (s) => [mmluCategory(s)] }, source, opts),
  lang: 'en',
  cot: {
    name: 'simple-evals-multichoice-cot',
    render: (item) => fill(SIMPLE_EVALS_MC, { question: item.question, choices: parenOptions(item.choices ?? []) }),
  },
  fewshot: {
    name: 'lm-eval-mmlu',
    prefix: (item) => `The following are multiple choice questions (with answers) about ${subjectName(item.subset)}.\n\n`,
    block: (q, choices) => dottedBlock(q.trim(), choices, 'Answer:'),
  },
});
