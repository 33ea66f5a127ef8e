/**
 * ARC-Easy (test 2376) and ARC-Challenge (test 1172). Some items have 3 or 5 options and some are
 * labelled 1..5 instead of A..E: options are lettered by position and the gold follows its label's
 * position, so nothing assumes four options.
 * Local: `arc/ARC-<Set>/ARC-<Set>-{Test,Train}.jsonl` ({id, question: {stem, choices: [{text,
 * label}]}, answerKey}); hub: allenai/ai2_arc `ARC-<Set>/{test,train}-00000-of-00001.parquet`
 * ({id, question, choices: {text: [], label: []}, answerKey}).
 */
import { DataError } from '../data/errors.js';
import { readHubParquet } from '../data/hub.js';
import { applyLimit, pickSubsets } from '../data/select.js';
import { letterOf, readLocalJsonl, str, strArray, type DataSource, type Located, type Row } from '../data/source.js';
import { EVALSCOPE_SINGLE_COT, dottedBlock, fill, letterList, parenOptions } from '../prompt/templates.js';
import type { BenchmarkAdapter, EvalItem, LoadOptions } from '../types.js';
import { mcAdapter } from './mc.js';

type ArcSet = 'ARC-Easy' | 'ARC-Challenge';

interface Q {
  id: string;
  question: string;
  choices: string[];
  answer: string;
}

/** Options and gold from parallel label / text lists; the gold letter is the label's position. */
function arcQuestion(r: Located<Row>, id: string, stem: string, labels: string[], texts: string[], key: string): Q {
  if (labels.length !== texts.length || labels.length < 2) throw new DataError(`${r.loc}: malformed choices`);
  const k = labels.indexOf(key.trim());
  if (k < 0) throw new DataError(`${r.loc}: answerKey ${JSON.stringify(key)} is not one of the labels ${labels.join(',')}`);
  return { id, question: stem, choices: texts, answer: letterOf(k) };
}

function localRow(r: Located<Row>): Q {
  const q = r.value.question as Row | undefined;
  if (typeof q !== 'object' || q === null) throw new DataError(`${r.loc}: field "question" missing or not an object`);
  const qr: Located<Row> = { value: q, loc: r.loc };
  const choices = q.choices;
  if (!Array.isArray(choices)) throw new DataError(`${r.loc}: field "question.choices" missing or not a list`);
  const labels = choices.map((c: Row) => String(c?.label ?? ''));
  const texts = choices.map((c: Row) => (typeof c?.text === 'string' ? c.text : ''));
  return arcQuestion(r, str(r, 'id'), str(qr, 'stem'), labels, texts, str(r, 'answerKey'));
}

export function hubRow(r: Located<Row>): Q {
  const c = r.value.choices as Row | undefined;
  if (typeof c !== 'object' || c === null) throw new DataError(`${r.loc}: field "choices" missing or not a struct`);
  const labels = strArray(r, 'choices.label', c.label);
  const texts = strArray(r, 'choices.text', c.text);
  return arcQuestion(r, str(r, 'id'), str(r, 'question'), labels, texts, str(r, 'answerKey'));
}

async function split(source: DataSource, set: ArcSet, which: 'Test' | 'Train'): Promise<Q[]> {
  if (source.kind === 'dir') return (await readLocalJsonl(source, `arc/${set}/${set}-${which}.jsonl`)).map(localRow);
  return (await readHubParquet(source, 'allenai/ai2_arc', `${set}/${which.toLowerCase()}-00000-of-00001.parquet`)).map(hubRow);
}

function arc(name: 'arc_easy' | 'arc_challenge', set: ArcSet, size: number): BenchmarkAdapter {
  return mcAdapter({
    name,
    describe: {
      title: set,
      license: 'CC BY-SA 4.0',
      split: 'test',
      size,
      fewshotSplit: 'train',
      maxShots: 25,
      defaultShots: 0,
      modes: ['generative', 'logprob'],
      hubRepo: 'allenai/ai2_arc',
      localDir: `arc/${set}`,
    },
    async load(source: DataSource, opts: LoadOptions): Promise<EvalItem[]> {
      pickSubsets(name, [set], opts.subsets);
      const test = await split(source, set, 'Test');
      const train = opts.shots > 0 ? (await split(source, set, 'Train')).slice(0, opts.shots) : [];
      const fewshot = train.map((q) => ({ question: q.question, choices: q.choices, answer: q.answer }));
      const items = test.map((q) => ({
        benchmark: name,
        id: q.id,
        subset: set,
        categories: [],
        question: q.question,
        choices: q.choices,
        gold: q.answer,
        fewshot,
      }));
      return applyLimit(items, opts.limit);
    },
    lang: 'en',
    cot: {
      name: 'evalscope-single-answer-cot',
      render: (item) =>
        fill(EVALSCOPE_SINGLE_COT, { question: item.question, choices: parenOptions(item.choices ?? []), letters: letterList(item.choices?.length ?? 0) }),
    },
    fewshot: {
      name: 'lettered-question-answer',
      prefix: () => '',
      block: (q, choices) => dottedBlock(`Question: ${q}`, choices, 'Answer:'),
    },
    logprobNote: 'letter log-probabilities over lettered options; lm-eval scores ARC by acc_norm over whole answer texts',
  });
}

export const arcEasy = arc('arc_easy', 'ARC-Easy', 2376);
export const arcChallenge = arc('arc_challenge', 'ARC-Challenge', 1172);
