/**
 * The shape MMLU, CMMLU and C-Eval share: four-choice questions filed by subject, one split
 * scored and few-shot examples from the same subject's dev split. How each reads a split
 * (headerless CSV or CSV with a header, one parquet for all subjects, a zip, a parquet per
 * subject) differs in every path and format, so that stays with each benchmark.
 */
import { applyLimit, pickSubsets } from '../data/select.js';
import type { DataSource } from '../data/source.js';
import type { EvalItem, FewShot, LoadOptions } from '../types.js';

export interface SubjectQuestion {
  question: string;
  choices: string[];
  /** The gold letter. */
  answer: string;
}

export interface SubjectBenchmark<Scored extends string> {
  name: string;
  /** Every subject, in the order items come out. */
  subjects: readonly string[];
  /** The split that is scored (C-Eval's test has no labels, so it scores val). */
  scored: Scored;
  /** One split's questions, by subject, for the subjects asked. */
  readSplit(source: DataSource, split: Scored | 'dev', subjects: string[]): Promise<Map<string, SubjectQuestion[]>>;
  categories(subject: string): string[];
}

/** The items of the subjects `--subsets` picks (all by default), `--limit` applied. */
export async function loadSubjectItems<Scored extends string>(b: SubjectBenchmark<Scored>, source: DataSource, opts: LoadOptions): Promise<EvalItem[]> {
  const subjects = pickSubsets(b.name, b.subjects, opts.subsets);
  const scored = await b.readSplit(source, b.scored, subjects);
  // The dev split is read only when examples are asked for.
  const dev = opts.shots > 0 ? await b.readSplit(source, 'dev', subjects) : new Map<string, SubjectQuestion[]>();
  const items: EvalItem[] = [];
  for (const s of subjects) {
    // lm-eval fewshot_config: first_n of the subject's dev split.
    const fewshot: FewShot[] = (dev.get(s) ?? []).slice(0, opts.shots).map((q) => ({ ...q }));
    (scored.get(s) ?? []).forEach((q, k) =>
      items.push({ benchmark: b.name, id: `${s}/${k}`, subset: s, categories: b.categories(s), question: q.question, choices: q.choices, gold: q.answer, fewshot }),
    );
  }
  return applyLimit(items, opts.limit);
}
