/**
 * HellaSwag (validation 10042): a context and four endings, shown as options A-D.
 * Local: `hellaswag/hellaswag_val_preprocessed.jsonl` ({idx, activity_label, query, label,
 * endings}, text already cleaned). Hub: Rowan/hellaswag `data/validation-00000-of-00001.parquet`
 * (ctx_a, ctx_b, endings, label as a string), cleaned here as lm-eval does:
 * `activity_label: ctx_a + " " + ctx_b.capitalize()`, `" [title]"` -> `". "`, `[...]` dropped,
 * double spaces collapsed. The two copies differ slightly in whitespace, not in content.
 */
import { DataError } from '../data/errors.js';
import { readHubParquet } from '../data/hub.js';
import { applyLimit, pickSubsets } from '../data/select.js';
import { int, letterOf, readLocalJsonl, str, strArray, type DataSource, type Located, type Row } from '../data/source.js';
import { EVALSCOPE_SINGLE_COT, dottedBlock, fill, letterList, parenOptions } from '../prompt/templates.js';
import type { EvalItem, LoadOptions } from '../types.js';
import { mcAdapter } from './mc.js';

/** lm-eval hellaswag utils.preprocess. */
export function preprocess(text: string): string {
  return text.trim().split(' [title]').join('. ').replace(/\[.*?\]/g, '').split('  ').join(' ');
}

/** Python's str.capitalize(): first character upper case, the rest lower case. */
export function capitalize(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1).toLowerCase();
}

interface Q {
  id: string;
  query: string;
  endings: string[];
  label: number;
}

function check(r: Located<Row>, q: Q): Q {
  if (q.endings.length !== 4) throw new DataError(`${r.loc}: expected 4 endings, found ${q.endings.length}`);
  if (q.label < 0 || q.label > 3) throw new DataError(`${r.loc}: label ${q.label} out of range 0-3`);
  return q;
}

export function hubRow(r: Located<Row>, k: number): Q {
  const ctx = `${str(r, 'ctx_a')} ${capitalize(str(r, 'ctx_b'))}`;
  const id = r.value.ind === undefined ? String(k) : String(int(r, 'ind'));
  return check(r, {
    id,
    query: preprocess(`${str(r, 'activity_label')}: ${ctx}`),
    endings: strArray(r, 'endings').map(preprocess),
    label: int(r, 'label'),
  });
}

async function load(source: DataSource, opts: LoadOptions): Promise<EvalItem[]> {
  pickSubsets('hellaswag', ['validation'], opts.subsets);
  const qs =
    source.kind === 'dir'
      ? (await readLocalJsonl(source, 'hellaswag/hellaswag_val_preprocessed.jsonl')).map((r) =>
          check(r, { id: String(int(r, 'idx')), query: str(r, 'query'), endings: strArray(r, 'endings'), label: int(r, 'label') }),
        )
      : (await readHubParquet(source, 'Rowan/hellaswag', 'data/validation-00000-of-00001.parquet')).map(hubRow);
  const items: EvalItem[] = qs.map((q) => ({
    benchmark: 'hellaswag',
    id: q.id,
    subset: 'validation',
    categories: [],
    question: q.query,
    choices: q.endings,
    gold: letterOf(q.label),
    fewshot: [],
  }));
  return applyLimit(items, opts.limit);
}

export const hellaswag = mcAdapter({
  name: 'hellaswag',
  describe: {
    title: 'HellaSwag',
    license: 'MIT',
    split: 'validation',
    size: 10042,
    maxShots: 0,
    defaultShots: 0,
    modes: ['generative', 'logprob'],
    hubRepo: 'Rowan/hellaswag',
    localDir: 'hellaswag',
  },
  load,
  lang: 'en',
  cot: {
    name: 'evalscope-single-answer-cot',
    render: (item) =>
      fill(EVALSCOPE_SINGLE_COT, { question: item.question, choices: parenOptions(item.choices ?? []), letters: letterList(item.choices?.length ?? 0) }),
  },
  fewshot: { name: 'lettered-endings-answer', prefix: () => '', block: (q, choices) => dottedBlock(q, choices, 'Answer:') },
  logprobNote: 'letter log-probabilities over lettered endings; lm-eval scores HellaSwag by acc_norm over the ending texts',
});
