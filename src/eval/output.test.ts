import { describe, expect, it } from 'vitest';
import { aggregate } from './aggregate.js';
import { evaluateReply, failedResult } from './evaluate.js';
import { EVAL_SCHEMA, benchmarkEntry, evalJson, itemLine } from './output.js';
import { getBenchmark, runOptions } from './registry.js';
import type { EvalItem, RunOptions } from './types.js';

const gsmItem: EvalItem = { benchmark: 'gsm8k', id: '0', subset: 'main', categories: [], question: 'What is 9 * 2?', gold: '18', fewshot: [] };
const mmluItem: EvalItem = {
  benchmark: 'mmlu',
  id: 'anatomy/0',
  subset: 'anatomy',
  categories: ['other (business, health, misc.)'],
  question: 'Q?',
  choices: ['a', 'b', 'c', 'd'],
  gold: 'C',
  fewshot: [],
};

describe('evaluateReply -> aggregate -> eval.json / items.jsonl', () => {
  const gsm8k = getBenchmark('gsm8k');
  const run: RunOptions = runOptions(gsm8k, { api: 'chat' });

  it('scores a reply, records the rule, the strict metric and the finish reason', async () => {
    const req = gsm8k.request(gsmItem, run);
    const res = await evaluateReply(gsm8k, gsmItem, run, req, { text: '9*2 = 18. The answer is 18.', finishReason: 'stop' });
    expect(res).toMatchObject({ score: 1, extracted: { answer: '18', rule: 'answer-is' }, secondary: { strict_match: 0 }, finishReason: 'stop' });
    const line = itemLine(res);
    expect(line.endsWith('\n')).toBe(true);
    expect(JSON.parse(line)).toEqual({
      benchmark: 'gsm8k',
      subset: 'main',
      id: '0',
      prompt: 'What is 9 * 2?\nPlease reason step by step, and put your final answer within \\boxed{}.',
      reply: '9*2 = 18. The answer is 18.',
      extracted: '18',
      gold: '18',
      score: 1,
      rule: 'answer-is',
      extracted_secondary: { strict: null },
      secondary: { strict_match: 0 },
      finish_reason: 'stop',
    });
  });

  it('builds eval.json with the contract keys, the method and the second metric', async () => {
    const req = gsm8k.request(gsmItem, run);
    const results = [
      await evaluateReply(gsm8k, gsmItem, run, req, { text: '\\boxed{18}' }),
      await evaluateReply(gsm8k, { ...gsmItem, id: '1' }, run, req, { text: 'no idea' }),
      failedResult(gsm8k, { ...gsmItem, id: '2' }, run, req, 'HTTP 500'),
    ];
    const entry = benchmarkEntry(gsm8k, run, aggregate(results), { data_source: 'hub' });
    const doc = evalJson({ gsm8k: entry });
    expect(doc.schema).toBe(EVAL_SCHEMA);
    expect(doc).toMatchObject({
      schema: 'evalperf.eval/1',
      benchmarks: {
        gsm8k: {
          metric: 'exact_match',
          score: 1 / 3,
          n: 3,
          correct: 1,
          unparsed: 1,
          failed: 1,
          mode: 'generative',
          shots: 0,
          template: 'evalscope-gsm8k-boxed',
          extraction: expect.stringContaining('boxed>answer-is>last-number'),
          subsets: { main: { score: 1 / 3, n: 3 } },
          secondary: { strict_match: { score: 1 / 3, description: 'last \\boxed{} only' } },
          api: 'chat',
          split: 'test',
          data_source: 'hub',
        },
      },
    });
    const failedLine = JSON.parse(itemLine(results[2]!));
    expect(failedLine).toMatchObject({ reply: null, extracted: null, score: 0, rule: 'request-failed', error: 'HTTP 500' });
  });

  it('logprob runs name the approximation; MMLU reports categories', async () => {
    const arc = getBenchmark('arc_easy');
    const lp = runOptions(arc, { api: 'completions', mode: 'logprob' });
    const e = benchmarkEntry(arc, lp, aggregate([]));
    expect(e.template).toBe('lettered-question-answer');
    expect(e.extraction).toMatch(/^letter-logprob/);
    expect(e.approximation).toMatch(/acc_norm/);

    const mmlu = getBenchmark('mmlu');
    const r0 = runOptions(mmlu, { api: 'chat' });
    const res = await evaluateReply(mmlu, mmluItem, r0, mmlu.request(mmluItem, r0), { text: 'Answer: C' });
    const m = benchmarkEntry(mmlu, r0, aggregate([res]));
    expect(m.categories).toEqual({ 'other (business, health, misc.)': { score: 1, n: 1, macro: 1, subsets: 1 } });
    expect(m.template).toBe('simple-evals-multichoice-cot');
  });
});

describe('runOptions', () => {
  it('fills defaults and rejects what a benchmark cannot do, in one line', () => {
    expect(runOptions(getBenchmark('mmlu'), { api: 'chat' })).toEqual({ api: 'chat', mode: 'generative', shots: 0 });
    expect(() => runOptions(getBenchmark('gsm8k'), { api: 'chat', mode: 'logprob' })).toThrow('gsm8k: --mode logprob is not supported (supported: generative)');
    expect(() => runOptions(getBenchmark('mmlu'), { api: 'chat', shots: 6 })).toThrow('mmlu: at most 5 shots, got 6');
    expect(() => runOptions(getBenchmark('hellaswag'), { api: 'chat', shots: 1 })).toThrow('hellaswag: 0-shot only');
    expect(() => getBenchmark('mmlu-pro')).toThrow(/unknown benchmark "mmlu-pro" \(known: gsm8k, mmlu,/);
    expect(getBenchmark('MATH-500').name).toBe('math500');
  });
});
