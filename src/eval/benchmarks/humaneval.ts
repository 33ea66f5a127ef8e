/**
 * HumanEval (164). Chat: simple-evals' instruction + the problem's prompt; the completion is the
 * first python code block, else the raw reply. Completions API: the raw prompt, continued by the
 * model and cut at the Codex paper's stop sequences (the original protocol for base models).
 * Score: the program `prompt + completion + "\n" + test + "\ncheck(entry_point)"` exits 0 in the
 * sandbox. Executes model-written code: score() refuses without a sandbox, which the caller
 * creates only after the user opted in.
 * Local: `humaneval/HumanEval.jsonl`; hub: openai/openai_humaneval
 * `openai_humaneval/test-00000-of-00001.parquet`.
 */
import { readHubParquet } from '../data/hub.js';
import { applyLimit, pickSubsets } from '../data/select.js';
import { readLocalJsonl, str } from '../data/source.js';
import { extractCode, humanevalProgram } from '../extract/code.js';
import { stripThinking } from '../extract/common.js';
import { buildRequest, single } from '../prompt/render.js';
import { HUMANEVAL_STOP, SIMPLE_EVALS_HUMANEVAL } from '../prompt/templates.js';
import type { BenchmarkAdapter, EvalItem, Extracted } from '../types.js';
import { checkGenerative } from './gsm8k.js';

export const humaneval: BenchmarkAdapter = {
  name: 'humaneval',
  describe: {
    title: 'HumanEval',
    license: 'MIT',
    split: 'test',
    size: 164,
    maxShots: 0,
    defaultShots: 0,
    modes: ['generative'],
    hubRepo: 'openai/openai_humaneval',
    localDir: 'humaneval',
    executesCode: true,
  },

  async load(source, opts) {
    checkGenerative('humaneval', { mode: 'generative', shots: opts.shots, api: 'chat' }, 0);
    pickSubsets('humaneval', ['test'], opts.subsets);
    const rows =
      source.kind === 'dir'
        ? await readLocalJsonl(source, 'humaneval/HumanEval.jsonl')
        : await readHubParquet(source, 'openai/openai_humaneval', 'openai_humaneval/test-00000-of-00001.parquet');
    const items = rows.map(
      (r): EvalItem => ({
        benchmark: 'humaneval',
        id: str(r, 'task_id'),
        subset: 'test',
        categories: [],
        question: str(r, 'prompt'),
        gold: str(r, 'entry_point'),
        fewshot: [],
        code: { test: str(r, 'test'), entryPoint: str(r, 'entry_point'), canonical: str(r, 'canonical_solution') },
      }),
    );
    return applyLimit(items, opts.limit);
  },

  request(item, opts) {
    checkGenerative('humaneval', opts, 0);
    if (opts.api === 'chat') return buildRequest(single(SIMPLE_EVALS_HUMANEVAL + item.question), opts, { maxTokens: 2048 });
    return buildRequest(single(item.question), opts, { maxTokens: 512, stop: HUMANEVAL_STOP });
  },

  extract(reply, _item, opts): Extracted {
    if (opts.api === 'chat') return extractCode(reply.text);
    const t = stripThinking(reply.text);
    return t.trim() === '' ? { answer: null, rule: 'empty' } : { answer: t, rule: 'raw-completion' };
  },

  async score(ex, item, ctx) {
    if (ex.answer === null || !item.code) return 0;
    if (!ctx?.sandbox) {
      throw new Error('humaneval executes model-written code: the user must opt in, then pass a sandbox (createSandbox) to score()');
    }
    const program = humanevalProgram(item.question, ex.answer, item.code.test, item.code.entryPoint);
    const result = await ctx.sandbox.run(program);
    ctx.onRun?.(result);
    return result.status === 'passed' ? 1 : 0;
  },

  method: (opts) => ({
    metric: 'pass@1',
    template: opts.api === 'chat' ? 'simple-evals-humaneval' : 'humaneval-raw-completion',
    extraction: opts.api === 'chat' ? 'first python code block, else the raw reply' : 'raw completion (Codex stop sequences)',
    checker: 'python3 -I sandbox: prompt + completion + test + check(entry_point) exits 0',
  }),
};
