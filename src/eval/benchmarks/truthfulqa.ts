/**
 * TruthfulQA multiple choice (817), the v0 set that Hugging Face, lm-eval and EvalScope use.
 * MC1: one true answer, listed FIRST in the data, so options are shuffled (seeded per item)
 * before lettering. MC2-gen: several true answers; the model names letters (`ANSWER: ACD`),
 * scored 0 if any named letter is false, else |named and true| / |true|. It is not lm-eval's mc2
 * (which sums probabilities of whole answers), hence the name. MC2 options are shuffled as well:
 * the v0 lists put the true answers first.
 * Local: `truthfulqa/data/v0/mc_task.json` ({question, mc1_targets: {answer: 0|1}, mc2_targets});
 * hub: truthfulqa/truthful_qa `multiple_choice/validation-00000-of-00001.parquet`
 * ({question, mc1_targets: {choices, labels}, mc2_targets: {choices, labels}}).
 */
import { createRng } from '../../load/rng.js';
import { DataError } from '../data/errors.js';
import { readHubParquet } from '../data/hub.js';
import { applyLimit, pickSubsets } from '../data/select.js';
import { int, letterOf, readLocalJson, str, strArray, type DataSource, type Located, type Row } from '../data/source.js';
import { EVALSCOPE_MULTI_COT, EVALSCOPE_SINGLE_COT, dottedBlock, fill, letterList, parenOptions } from '../prompt/templates.js';
import type { BenchmarkAdapter, EvalItem, LoadOptions } from '../types.js';
import { mcAdapter } from './mc.js';

type Target = { text: string; ok: boolean }[];

interface Q {
  question: string;
  mc1: Target;
  mc2: Target;
}

/** Fisher-Yates with an RNG seeded from (seed, row, variant): stable whatever else is loaded. */
export function shuffled<T>(xs: readonly T[], seed: number, row: number, variant: number): T[] {
  const rng = createRng((Math.imul(seed, 0x9e3779b1) + Math.imul(row, 0x85ebca6b) + variant) >>> 0);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function localTargets(r: Located<Row>, key: string): Target {
  const t = r.value[key];
  if (typeof t !== 'object' || t === null || Array.isArray(t)) throw new DataError(`${r.loc}: field "${key}" missing or not an object`);
  return Object.entries(t as Record<string, unknown>).map(([text, v]) => ({ text, ok: v === 1 }));
}

export function hubTargets(r: Located<Row>, key: string): Target {
  const t = r.value[key] as Row | undefined;
  if (typeof t !== 'object' || t === null) throw new DataError(`${r.loc}: field "${key}" missing or not a struct`);
  const choices = strArray(r, `${key}.choices`, t.choices);
  const labels = t.labels;
  if (!Array.isArray(labels) || labels.length !== choices.length) throw new DataError(`${r.loc}: field "${key}.labels" does not match its choices`);
  return choices.map((text, k) => ({ text, ok: int({ value: { v: labels[k] }, loc: r.loc }, 'v') === 1 }));
}

async function questions(source: DataSource): Promise<Q[]> {
  if (source.kind === 'dir') {
    const { value, file } = await readLocalJson(source, 'truthfulqa/data/v0/mc_task.json');
    if (!Array.isArray(value)) throw new DataError(`${file}: expected a JSON list`);
    return value.map((v: Row, k) => {
      const r = { value: v, loc: `${file} item ${k + 1}` };
      return { question: str(r, 'question'), mc1: localTargets(r, 'mc1_targets'), mc2: localTargets(r, 'mc2_targets') };
    });
  }
  const rows = await readHubParquet(source, 'truthfulqa/truthful_qa', 'multiple_choice/validation-00000-of-00001.parquet');
  return rows.map((r) => ({ question: str(r, 'question'), mc1: hubTargets(r, 'mc1_targets'), mc2: hubTargets(r, 'mc2_targets') }));
}

function loader(variant: 'mc1' | 'mc2', name: string) {
  return async (source: DataSource, opts: LoadOptions): Promise<EvalItem[]> => {
    pickSubsets(name, [variant], opts.subsets);
    const qs = await questions(source);
    const items = qs.map((q, k): EvalItem => {
      const opts2 = shuffled(variant === 'mc1' ? q.mc1 : q.mc2, opts.seed, k, variant === 'mc1' ? 1 : 2);
      const gold = opts2.flatMap((o, j) => (o.ok ? [letterOf(j)] : [])).join('');
      if (gold.length === 0 || (variant === 'mc1' && gold.length !== 1)) {
        throw new DataError(`truthfulqa item ${k + 1}: ${variant} needs ${variant === 'mc1' ? 'exactly one' : 'a'} true answer`);
      }
      return { benchmark: name, id: String(k), subset: variant, categories: [], question: q.question, choices: opts2.map((o) => o.text), gold, fewshot: [] };
    });
    return applyLimit(items, opts.limit);
  };
}

const info = { license: 'Apache-2.0', split: 'validation', size: 817, maxShots: 0, defaultShots: 0, hubRepo: 'truthfulqa/truthful_qa', localDir: 'truthfulqa' };
const options = (item: EvalItem) => ({ question: item.question, choices: parenOptions(item.choices ?? []), letters: letterList(item.choices?.length ?? 0) });

export const truthfulqaMc1: BenchmarkAdapter = mcAdapter({
  name: 'truthfulqa_mc1',
  describe: { ...info, title: 'TruthfulQA MC1', modes: ['generative', 'logprob'] },
  load: loader('mc1', 'truthfulqa_mc1'),
  lang: 'en',
  cot: { name: 'evalscope-single-answer-cot', render: (item) => fill(EVALSCOPE_SINGLE_COT, options(item)) },
  fewshot: { name: 'lettered-question-answer', prefix: () => '', block: (q, choices) => dottedBlock(`Question: ${q}`, choices, 'Answer:') },
  logprobNote: 'letter log-probabilities over shuffled lettered options; lm-eval mc1 compares the log-likelihood of each answer text',
});

export const truthfulqaMc2Gen: BenchmarkAdapter = mcAdapter({
  name: 'truthfulqa_mc2_gen',
  describe: { ...info, title: 'TruthfulQA MC2-gen (multiple answers, generative; not lm-eval mc2)', modes: ['generative'] },
  load: loader('mc2', 'truthfulqa_mc2_gen'),
  lang: 'en',
  multi: true,
  cot: { name: 'evalscope-multiple-answer-cot', render: (item) => fill(EVALSCOPE_MULTI_COT, options(item)) },
  fewshot: { name: 'lettered-question-answer', prefix: () => '', block: (q, choices) => dottedBlock(`Question: ${q}`, choices, 'Answer:') },
});
