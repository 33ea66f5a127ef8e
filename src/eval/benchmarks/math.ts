/**
 * MATH (test 5000) and MATH-500 (the 500-problem subset of "Let's Verify Step by Step"), 0-shot
 * with EvalScope's `\boxed{}` prompt. Gold: `answer` (MATH-500) or the last `\boxed{}` of the
 * reference solution (MATH). Checker: lm-eval strip_string equality, then numeric (extract/math.ts).
 * Subsets are the seven subjects; each item also counts towards its level (`Level 1`..`Level 5`).
 * Local: `math/math500_test.jsonl`, `math/math_test.jsonl`. Hub: HuggingFaceH4/MATH-500
 * `test.jsonl`; EleutherAI/hendrycks_math `<subject>/test-00000-of-00001.parquet` (the original
 * competition_math repository was taken down).
 */
import { DataError } from '../data/errors.js';
import { mapLimit, readHubJsonl, readHubParquet } from '../data/hub.js';
import { applyLimit, pickSubsets } from '../data/select.js';
import { readLocalJsonl, str, type DataSource, type Located, type Row } from '../data/source.js';
import { MATH_CHECKER, extractMathAnswer, mathEquivalent, mathGoldFromSolution } from '../extract/math.js';
import { buildRequest, single } from '../prompt/render.js';
import { EVALSCOPE_BOXED, fill } from '../prompt/templates.js';
import type { BenchmarkAdapter, EvalItem, LoadOptions } from '../types.js';
import { checkGenerative } from './gsm8k.js';

export const MATH_SUBJECTS = [
  'algebra',
  'counting_and_probability',
  'geometry',
  'intermediate_algebra',
  'number_theory',
  'prealgebra',
  'precalculus',
];

/** `Counting & Probability` -> `counting_and_probability`. */
export function subjectKey(display: string): string {
  return display.trim().toLowerCase().replace(/&/g, 'and').replace(/\s+/g, '_');
}

function item(benchmark: string, r: Located<Row>, id: string, subjectField: string, gold: string, level: string): EvalItem {
  const subset = subjectKey(str(r, subjectField));
  if (!MATH_SUBJECTS.includes(subset)) throw new DataError(`${r.loc}: unknown subject ${JSON.stringify(str(r, subjectField))}`);
  return { benchmark, id, subset, categories: [level], question: str(r, 'problem'), gold, fewshot: [], meta: { level } };
}

function levelOf(r: Located<Row>): string {
  const v = r.value.level;
  if (typeof v === 'number' || typeof v === 'bigint') return `Level ${v}`;
  if (typeof v === 'string') return v.startsWith('Level') ? v : `Level ${v}`;
  throw new DataError(`${r.loc}: field "level" missing`);
}

function solutionGold(r: Located<Row>): string {
  const g = mathGoldFromSolution(str(r, 'solution'));
  if (g === null) throw new DataError(`${r.loc}: solution has no \\boxed{} answer`);
  return g;
}

async function loadMath500(source: DataSource, opts: LoadOptions): Promise<EvalItem[]> {
  const subjects = new Set(pickSubsets('math500', MATH_SUBJECTS, opts.subsets));
  const rows = source.kind === 'dir' ? await readLocalJsonl(source, 'math/math500_test.jsonl') : await readHubJsonl(source, 'HuggingFaceH4/MATH-500', 'test.jsonl');
  const items = rows.map((r) => item('math500', r, str(r, 'unique_id'), 'subject', str(r, 'answer'), levelOf(r)));
  return applyLimit(
    items.filter((it) => subjects.has(it.subset)),
    opts.limit,
  );
}

async function loadMath(source: DataSource, opts: LoadOptions): Promise<EvalItem[]> {
  const subjects = pickSubsets('math', MATH_SUBJECTS, opts.subsets);
  let items: EvalItem[];
  if (source.kind === 'dir') {
    const rows = await readLocalJsonl(source, 'math/math_test.jsonl');
    items = rows.map((r, k) => item('math', r, String(r.value.idx ?? k), 'type', solutionGold(r), levelOf(r)));
    const keep = new Set(subjects);
    items = items.filter((it) => keep.has(it.subset));
  } else {
    const parts = await mapLimit(subjects, 4, (s) => readHubParquet(source, 'EleutherAI/hendrycks_math', `${s}/test-00000-of-00001.parquet`));
    items = parts.flatMap((rows, j) => rows.map((r, k) => item('math', r, `${subjects[j]}/${k}`, 'type', solutionGold(r), levelOf(r))));
  }
  return applyLimit(items, opts.limit);
}

const MAX_TOKENS = 4096;

function mathAdapter(name: 'math' | 'math500', title: string, size: number, hubRepo: string, load: BenchmarkAdapter['load']): BenchmarkAdapter {
  return {
    name,
    describe: { title, license: 'MIT', split: 'test', size, maxShots: 0, defaultShots: 0, modes: ['generative'], subsets: MATH_SUBJECTS, hubRepo, localDir: 'math' },
    load: (source, opts) => {
      checkGenerative(name, { mode: 'generative', shots: opts.shots, api: 'chat' }, 0);
      return load(source, opts);
    },
    request(it, opts) {
      checkGenerative(name, opts, 0);
      return buildRequest(single(fill(EVALSCOPE_BOXED, { question: it.question })), opts, { maxTokens: MAX_TOKENS });
    },
    extract: (reply) => extractMathAnswer(reply.text),
    score: (ex, it) => (mathEquivalent(ex.answer, it.gold) ? 1 : 0),
    method: () => ({
      metric: 'exact_match',
      template: 'evalscope-math-boxed',
      extraction: 'boxed(last, brace-matched)>answer-line(last)',
      checker: MATH_CHECKER,
    }),
  };
}

export const math = mathAdapter('math', 'MATH', 5000, 'EleutherAI/hendrycks_math', loadMath);
export const math500 = mathAdapter('math500', 'MATH-500', 500, 'HuggingFaceH4/MATH-500', loadMath500);
