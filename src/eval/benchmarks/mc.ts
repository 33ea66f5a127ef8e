/**
 * One adapter shape for every multiple-choice benchmark (MMLU, CMMLU, C-Eval, ARC, HellaSwag,
 * TruthfulQA). A benchmark supplies its loader and two prompt forms:
 *  - `cot`: the 0-shot chain-of-thought chat prompt (the generative default);
 *  - `block` + `prefix`: lm-eval's few-shot layout ending in `Answer:` / `答案：`, used for
 *    letter-logprob mode and for generative runs with shots > 0.
 */
import { checkShots } from '../data/select.js';
import { COT_ORDER, FEWSHOT_ORDER, extractLetter, extractLetters, letterFromLogprobs, mc2GenScore } from '../extract/mc.js';
import { buildRequest, single, type Layout } from '../prompt/render.js';
import type { DataSource } from '../data/source.js';
import type { BenchmarkAdapter, BenchmarkInfo, EvalItem, Extracted, LoadOptions, Method, ReplyInfo, RunOptions } from '../types.js';

export interface McSpec {
  name: string;
  describe: BenchmarkInfo;
  load(source: DataSource, opts: LoadOptions): Promise<EvalItem[]>;
  lang: 'en' | 'zh';
  /** Name and text of the 0-shot CoT prompt. */
  cot: { name: string; render(item: EvalItem): string };
  /** Name of the lm-eval style layout, its description line and its question block. */
  fewshot: { name: string; prefix(item: EvalItem): string; block(question: string, choices: string[]): string };
  /** TruthfulQA MC2-gen: several letters, partial credit. */
  multi?: boolean;
  /** Said next to logprob scores that only approximate the reference metric. */
  logprobNote?: string;
}

/** Generative CoT replies need room to reason; few-shot replies are a letter. */
const COT_MAX_TOKENS = 2048;
const FEWSHOT_MAX_TOKENS = 32;

const EXTRACTION = {
  cot: 'answer-line(last)>answer-is>boxed>leading-letter',
  cotZh: 'answer-line-zh(last)>answer-line(last)>answer-is>boxed>leading-letter',
  fewshot: 'leading-letter>answer-line(last)>answer-is>boxed',
  multi: 'answer-line(last): letters',
  logprob: 'letter-logprob (top_logprobs at the first token, A and " A" summed)',
};

export function mcAdapter(spec: McSpec): BenchmarkAdapter {
  const layout = (item: EvalItem, opts: RunOptions): Layout => {
    if (opts.mode === 'generative' && opts.shots === 0) return single(spec.cot.render(item));
    return {
      prefix: spec.fewshot.prefix(item),
      shots: item.fewshot.slice(0, opts.shots).map((s) => ({ text: spec.fewshot.block(s.question, s.choices ?? []), answer: s.answer })),
      query: spec.fewshot.block(item.question, item.choices ?? []),
      delimiter: ' ',
    };
  };

  return {
    name: spec.name,
    describe: spec.describe,
    load: (source, opts) => {
      checkShots(spec.name, opts.shots, spec.describe.maxShots);
      return spec.load(source, opts);
    },

    request(item, opts) {
      checkRun(spec, opts);
      return buildRequest(layout(item, opts), opts, {
        maxTokens: opts.shots === 0 ? COT_MAX_TOKENS : FEWSHOT_MAX_TOKENS,
        stop: opts.shots === 0 ? [] : ['\n\n'],
      });
    },

    extract(reply: ReplyInfo, item: EvalItem, opts: RunOptions): Extracted {
      const n = item.choices?.length ?? 0;
      if (opts.mode === 'logprob') return letterFromLogprobs(reply.topLogprobs, n);
      if (spec.multi) return extractLetters(reply.text, n, spec.lang);
      return extractLetter(reply.text, n, opts.shots === 0 ? COT_ORDER : FEWSHOT_ORDER, spec.lang);
    },

    score(ex, item) {
      if (spec.multi) return mc2GenScore(ex.answer, item.gold);
      return ex.answer !== null && ex.answer === item.gold ? 1 : 0;
    },

    method(opts): Method {
      const fewshotName = opts.api === 'chat' && opts.shots > 0 ? `${spec.fewshot.name}+multiturn` : spec.fewshot.name;
      if (opts.mode === 'logprob') {
        const m: Method = { metric: 'accuracy', template: fewshotName, extraction: EXTRACTION.logprob };
        if (spec.logprobNote) m.approximation = spec.logprobNote;
        return m;
      }
      if (opts.shots === 0) {
        return {
          metric: spec.multi ? 'mc2_gen' : 'accuracy',
          template: spec.cot.name,
          extraction: spec.multi ? EXTRACTION.multi : spec.lang === 'zh' ? EXTRACTION.cotZh : EXTRACTION.cot,
        };
      }
      return { metric: 'accuracy', template: fewshotName, extraction: EXTRACTION.fewshot };
    },
  };
}

function checkRun(spec: McSpec, opts: RunOptions): void {
  if (!spec.describe.modes.includes(opts.mode)) {
    throw new Error(`${spec.name}: mode ${opts.mode} is not supported (supported: ${spec.describe.modes.join(', ')})`);
  }
  checkShots(spec.name, opts.shots, spec.describe.maxShots);
}
