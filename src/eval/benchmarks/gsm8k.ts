/**
 * GSM8K (test 1319). Gold: the text after `#### ` in `answer`, commas removed.
 * 0-shot (default, chat-friendly): EvalScope's `\boxed{}` prompt. The score uses EvalScope's
 * chain (boxed, "answer is", last number); `strict_match` counts only a `\boxed{}` answer.
 * k-shot: lm-eval's `Question: ...\nAnswer: <worked solution ending #### N>` from the first k
 * train items; the score is lm-eval flexible-extract (last number), `strict_match` is `#### N`.
 * Both compare numerically after removing `,` `$` and a trailing `.`.
 * Local: `gsm8k/{test,train}.jsonl`; hub: openai/gsm8k `main/{test,train}-00000-of-00001.parquet`.
 */
import { DataError } from '../data/errors.js';
import { readHubParquet } from '../data/hub.js';
import { applyLimit, checkShots, pickSubsets } from '../data/select.js';
import { readLocalJsonl, str, type DataSource, type Located, type Row } from '../data/source.js';
import { extractBoxedFirst, extractBoxedOnly, extractFlexible, extractHashes, gsm8kGold, numericEqual } from '../extract/numeric.js';
import { buildRequest, single } from '../prompt/render.js';
import { EVALSCOPE_BOXED, fill } from '../prompt/templates.js';
import type { BenchmarkAdapter, EvalItem, Extracted, LoadOptions, Method, RunOptions } from '../types.js';

async function rows(source: DataSource, split: 'test' | 'train'): Promise<Located<Row>[]> {
  return source.kind === 'dir'
    ? readLocalJsonl(source, `gsm8k/${split}.jsonl`)
    : readHubParquet(source, 'openai/gsm8k', `main/${split}-00000-of-00001.parquet`);
}

async function load(source: DataSource, opts: LoadOptions): Promise<EvalItem[]> {
  checkShots('gsm8k', opts.shots, gsm8k.describe.maxShots);
  pickSubsets('gsm8k', ['main'], opts.subsets);
  const fewshot = opts.shots > 0 ? (await rows(source, 'train')).slice(0, opts.shots).map((r) => ({ question: str(r, 'question'), answer: str(r, 'answer') })) : [];
  const items = (await rows(source, 'test')).map((r, k): EvalItem => {
    const gold = gsm8kGold(str(r, 'answer'));
    if (gold === null) throw new DataError(`${r.loc}: answer has no "#### <number>" line`);
    return { benchmark: 'gsm8k', id: String(k), subset: 'main', categories: [], question: str(r, 'question'), gold, fewshot };
  });
  return applyLimit(items, opts.limit);
}

const ZERO_SHOT_MAX_TOKENS = 2048;
const FEWSHOT_MAX_TOKENS = 512;

export const gsm8k: BenchmarkAdapter = {
  name: 'gsm8k',
  describe: {
    title: 'GSM8K',
    license: 'MIT',
    split: 'test',
    size: 1319,
    fewshotSplit: 'train',
    maxShots: 8,
    defaultShots: 0,
    modes: ['generative'],
    hubRepo: 'openai/gsm8k',
    localDir: 'gsm8k',
  },
  load,

  request(item, opts) {
    checkGenerative('gsm8k', opts, 8);
    if (opts.shots === 0) return buildRequest(single(fill(EVALSCOPE_BOXED, { question: item.question })), opts, { maxTokens: ZERO_SHOT_MAX_TOKENS });
    const layout = {
      prefix: '',
      shots: item.fewshot.slice(0, opts.shots).map((s) => ({ text: `Question: ${s.question}\nAnswer:`, answer: s.answer })),
      query: `Question: ${item.question}\nAnswer:`,
      delimiter: ' ',
    };
    return buildRequest(layout, opts, { maxTokens: FEWSHOT_MAX_TOKENS, stop: ['Question:', '</s>', '<|im_end|>'] });
  },

  extract(reply, _item, opts): Extracted {
    if (opts.shots === 0) return { ...extractBoxedFirst(reply.text), secondary: { strict: extractBoxedOnly(reply.text) } };
    return { ...extractFlexible(reply.text), secondary: { strict: extractHashes(reply.text) } };
  },

  score: (ex, item) => (numericEqual(ex.answer, item.gold) ? 1 : 0),

  secondaryScores: (ex, item) => ({ strict_match: numericEqual(ex.secondary?.strict?.answer ?? null, item.gold) ? 1 : 0 }),

  method(opts: RunOptions): Method {
    if (opts.shots === 0) {
      return {
        metric: 'exact_match',
        template: 'evalscope-gsm8k-boxed',
        extraction: 'boxed>answer-is>last-number (EvalScope); numeric, rel. tol. 1e-4',
        secondary: { strict_match: 'last \\boxed{} only' },
      };
    }
    return {
      metric: 'exact_match',
      template: opts.api === 'chat' ? 'lm-eval-gsm8k+multiturn' : 'lm-eval-gsm8k',
      extraction: 'flexible-extract: last (-?[$0-9.,]{2,})|(-?[0-9]+) (lm-eval); numeric, rel. tol. 1e-4',
      secondary: { strict_match: 'strict-match: first #### (-?[0-9.,]+) (lm-eval)' },
    };
  },
};

/** Generative-only benchmarks (GSM8K, MATH, HumanEval): reject logprob mode and too many shots. */
export function checkGenerative(name: string, opts: RunOptions, maxShots: number): void {
  if (opts.mode !== 'generative') throw new Error(`${name}: only generative mode is supported (got ${opts.mode})`);
  checkShots(name, opts.shots, maxShots);
}
