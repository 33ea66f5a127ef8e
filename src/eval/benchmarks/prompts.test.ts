import { beforeAll, describe, expect, it } from 'vitest';
import { getBenchmark } from '../registry.js';
import { HAVE_SHARED, NEEDS_SHARED, shared } from '../shared-data.test-util.js';
import type { EvalItem, RunOptions } from '../types.js';

const chat0: RunOptions = { mode: 'generative', shots: 0, api: 'chat' };
const logprob5: RunOptions = { mode: 'logprob', shots: 5, api: 'completions' };

async function first(name: string, shots: number, subsets?: string[]): Promise<EvalItem> {
  const items = await getBenchmark(name).load(shared, { shots, seed: 1234, limit: 1, ...(subsets ? { subsets } : {}) });
  return items[0]!;
}

function userText(name: string, item: EvalItem, run: RunOptions): string {
  const body = getBenchmark(name).request(item, run).body;
  return body.messages ? body.messages[body.messages.length - 1]!.content : body.prompt!;
}

describe.skipIf(!HAVE_SHARED)(`prompts of real items${NEEDS_SHARED}`, () => {
  let mmlu0: EvalItem;
  let mmlu5: EvalItem;
  beforeAll(async () => {
    mmlu0 = await first('mmlu', 0, ['abstract_algebra']);
    mmlu5 = await first('mmlu', 5, ['abstract_algebra']);
  });

  it('MMLU 0-shot: simple-evals CoT prompt, one user message', () => {
    const req = getBenchmark('mmlu').request(mmlu0, chat0);
    expect(req.body).toEqual({
      max_tokens: 2048,
      temperature: 0,
      messages: [
        {
          role: 'user',
          content:
            "Answer the following multiple choice question. The last line of your response should be of the following format: 'Answer: $LETTER' (without quotes) where LETTER is one of ABCD. Think step by step before answering.\n\n" +
            'Find the degree for the given field extension Q(sqrt(2), sqrt(3), sqrt(18)) over Q.\n\nA) 0\nB) 4\nC) 2\nD) 6',
        },
      ],
    });
    expect(req.display).toBe(req.body.messages![0]!.content);
    expect(mmlu0.gold).toBe('B');
  });

  it('MMLU 5-shot logprob (completions): lm-eval layout, max_tokens 1, logprobs 20', () => {
    const req = getBenchmark('mmlu').request(mmlu5, logprob5);
    const p = req.body.prompt!;
    expect(p.startsWith('The following are multiple choice questions (with answers) about abstract algebra.\n\nFind all c in Z_3 such that Z_3[x]/(x^2 + c) is a field.\nA. 0\nB. 1\nC. 2\nD. 3\nAnswer: B\n\n')).toBe(true);
    expect(p.endsWith('\n\nFind the degree for the given field extension Q(sqrt(2), sqrt(3), sqrt(18)) over Q.\nA. 0\nB. 4\nC. 2\nD. 6\nAnswer:')).toBe(true);
    expect(p.match(/\nAnswer: [A-D]\n\n/g)).toHaveLength(5);
    expect(req.body).toMatchObject({ max_tokens: 1, temperature: 0, logprobs: 20 });
    expect(req.body.top_logprobs).toBeUndefined();
  });

  it('MMLU 5-shot logprob (chat): examples as user/assistant turns, the description in the first', () => {
    const req = getBenchmark('mmlu').request(mmlu5, { ...logprob5, api: 'chat' });
    const m = req.body.messages!;
    expect(m.map((x) => x.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'user']);
    expect(m[0]!.content.startsWith('The following are multiple choice questions (with answers) about abstract algebra.\n\nFind all c')).toBe(true);
    expect(m[1]!.content).toBe('B');
    expect(m[10]!.content.endsWith('D. 6\nAnswer:')).toBe(true);
    expect(req.body).toMatchObject({ max_tokens: 1, logprobs: true, top_logprobs: 20 });
    expect(req.display.startsWith('[user]\nThe following')).toBe(true);
  });

  it('CMMLU 0-shot: EvalScope Chinese CoT; 5-shot: lm-eval 答案： layout', async () => {
    const item0 = await first('cmmlu', 0, ['agronomy']);
    expect(userText('cmmlu', item0, chat0)).toBe(
      '回答下面的单项选择题，请选出其中的正确答案。你的回答的最后一行应该是这样的格式："答案：[LETTER]"（不带引号），其中 [LETTER] 是 A,B,C,D 中的一个。请在回答前进行一步步思考。\n\n' +
        '问题：在农业生产中被当作极其重要的劳动对象发挥作用，最主要的不可替代的基本生产资料是\n选项：\nA) 农业生产工具\nB) 土地\nC) 劳动力\nD) 资金\n',
    );
    const item5 = await first('cmmlu', 5, ['agronomy']);
    const p = userText('cmmlu', item5, logprob5);
    expect(p.startsWith('以下是关于农学的单项选择题，请直接给出正确答案的选项。\n\n肉牛屠宰后，胴体的哪个部位肉质较好\nA. 胸\nB. 腹\nC. 大腿\nD. 小腿\n答案： C\n\n')).toBe(true);
    expect(p.endsWith('\nA. 农业生产工具\nB. 土地\nC. 劳动力\nD. 资金\n答案：')).toBe(true);
    expect(p.match(/\n答案： [A-D]\n\n/g)).toHaveLength(5);
  });

  it('C-Eval 0-shot and 5-shot', async () => {
    const item0 = await first('ceval', 0, ['computer_network']);
    expect(userText('ceval', item0, chat0)).toContain('问题：使用位填充方法，以01111110为位首flag，数据为011011111111111111110010，求问传送时要添加几个0____\n选项：\nA) 1\nB) 2\nC) 3\nD) 4\n');
    expect(item0.gold).toBe('C');
    const p = userText('ceval', await first('ceval', 5, ['computer_network']), logprob5);
    expect(p.startsWith('以下是中国关于计算机网络的单项选择题，请选出其中的正确答案。\n\n下列设备属于资源子网的是____。\nA. 计算机软件\nB. 网桥\nC. 交换机\nD. 路由器\n答案： A\n\n')).toBe(true);
    expect(p.endsWith('求问传送时要添加几个0____\nA. 1\nB. 2\nC. 3\nD. 4\n答案：')).toBe(true);
  });

  it('ARC: numeric labels lettered by position; 3 and 5 options keep their count', async () => {
    const items = await getBenchmark('arc_easy').load(shared, { shots: 0, seed: 0 });
    const byId = new Map(items.map((i) => [i.id, i]));
    const numeric = byId.get('NYSEDREGENTS_2015_8_28')!;
    expect(numeric.choices).toEqual(['air', 'elements', 'water', 'soil']);
    expect(numeric.gold).toBe('B');
    expect(userText('arc_easy', numeric, chat0)).toBe(
      "Answer the following multiple choice question. The last line of your response should be of the following format: 'ANSWER: [LETTER]' (without quotes) where [LETTER] is one of A,B,C,D. Think step by step before answering.\n\n" +
        'All living and nonliving material is composed of\n\nA) air\nB) elements\nC) water\nD) soil',
    );
    const five = byId.get('TIMSS_1995_8_P4')!;
    expect(five.choices).toHaveLength(5);
    expect(five.gold).toBe('E');
    expect(userText('arc_easy', five, chat0)).toContain('is one of A,B,C,D,E.');
    const three = byId.get('NYSEDREGENTS_2008_4_6')!;
    expect(userText('arc_easy', three, { mode: 'logprob', shots: 0, api: 'completions' })).toMatch(/^Question: When a rock .*\nA\. .*\nB\. .*\nC\. .*\nAnswer:$/s);
  });

  it('HellaSwag: the context as the question, endings as options', async () => {
    const item = await first('hellaswag', 0);
    expect(userText('hellaswag', item, { mode: 'logprob', shots: 0, api: 'completions' })).toBe(
      "Roof shingle removal: A man is sitting on a roof. he\nA. is using wrap to wrap a pair of skis.\nB. is ripping level tiles off.\nC. is holding a rubik's cube.\nD. starts pulling up roofing on a roof.\nAnswer:",
    );
    expect(item.gold).toBe('D');
  });

  it('TruthfulQA MC1: seeded shuffle moves the true answer off A, reproducibly', async () => {
    const a = await getBenchmark('truthfulqa_mc1').load(shared, { shots: 0, seed: 1234 });
    const b = await getBenchmark('truthfulqa_mc1').load(shared, { shots: 0, seed: 1234 });
    const c = await getBenchmark('truthfulqa_mc1').load(shared, { shots: 0, seed: 7 });
    expect(a.map((i) => i.gold)).toEqual(b.map((i) => i.gold));
    expect(a.map((i) => i.gold)).not.toEqual(c.map((i) => i.gold));
    const onA = a.filter((i) => i.gold === 'A').length / a.length;
    expect(onA).toBeGreaterThan(0.1);
    expect(onA).toBeLessThan(0.4);
    // The shuffled options still hold the true answer at the gold letter.
    expect(a[0]!.choices![a[0]!.gold.charCodeAt(0) - 65]).toBe('Nauru is the smallest country in the world that is at least one square mile in area.');
    const limited = await getBenchmark('truthfulqa_mc1').load(shared, { shots: 0, seed: 1234, limit: 5 });
    expect(limited.map((i) => i.choices)).toEqual(a.slice(0, 5).map((i) => i.choices));
  });

  it('TruthfulQA MC2-gen: multiple-answer prompt, gold = all true letters', async () => {
    const item = await first('truthfulqa_mc2_gen', 0);
    expect(userText('truthfulqa_mc2_gen', item, chat0)).toContain("'ANSWER: [LETTERS]' (without quotes) where [LETTERS] is one or more of A,B,C,D.");
    expect(item.gold).toMatch(/^[A-D]+$/);
    expect(() => getBenchmark('truthfulqa_mc2_gen').request(item, { ...chat0, mode: 'logprob' })).toThrow(/not supported/);
  });

  it('GSM8K 0-shot boxed prompt and 5-shot lm-eval prompt with stop sequences', async () => {
    const item0 = await first('gsm8k', 0);
    expect(userText('gsm8k', item0, chat0)).toBe(
      "Janet’s ducks lay 16 eggs per day. She eats three for breakfast every morning and bakes muffins for her friends every day with four. She sells the remainder at the farmers' market daily for $2 per fresh duck egg. How much in dollars does she make every day at the farmers' market?\nPlease reason step by step, and put your final answer within \\boxed{}.",
    );
    expect(item0.gold).toBe('18');
    const item5 = await first('gsm8k', 5);
    const req = getBenchmark('gsm8k').request(item5, { mode: 'generative', shots: 5, api: 'completions' });
    expect(req.body.prompt!.startsWith('Question: Natalia sold clips to 48 of her friends in April')).toBe(true);
    expect(req.body.prompt!.match(/\n#### -?[\d,]+\n\nQuestion: /g)).toHaveLength(5);
    expect(req.body.prompt!.endsWith("at the farmers' market?\nAnswer:")).toBe(true);
    expect(req.body.stop).toEqual(['Question:', '</s>', '<|im_end|>']);
    expect(req.body.max_tokens).toBe(512);
  });

  it('MATH-500 and MATH: boxed prompt; gold from answer / last boxed of the solution', async () => {
    const m5 = await first('math500', 0);
    expect(userText('math500', m5, chat0)).toBe(
      'Convert the point $(0,3)$ in rectangular coordinates to polar coordinates.  Enter your answer in the form $(r,\\theta),$ where $r > 0$ and $0 \\le \\theta < 2 \\pi.$\nPlease reason step by step, and put your final answer within \\boxed{}.',
    );
    expect(m5.gold).toBe('\\left( 3, \\frac{\\pi}{2} \\right)');
    expect(m5.categories).toEqual(['Level 2']);
    const full = await first('math', 0);
    expect(full.question).toBe('How many vertical asymptotes does the graph of $y=\\frac{2}{x^2+x-6}$ have?');
    expect(full.gold).toBe('2');
    expect(full.subset).toBe('algebra');
  });

  it('HumanEval: simple-evals instruction + prompt (chat); raw prompt with Codex stops (completions)', async () => {
    const item = await first('humaneval', 0);
    const chat = getBenchmark('humaneval').request(item, chat0);
    expect(chat.body.messages![0]!.content).toBe(
      'Read the following function signature and docstring, and fully implement the function described. Your response should only contain the code for this function.\n' + item.question,
    );
    expect(item.question.startsWith('from typing import List\n\n\ndef has_close_elements(')).toBe(true);
    const comp = getBenchmark('humaneval').request(item, { ...chat0, api: 'completions' });
    expect(comp.body.prompt).toBe(item.question);
    expect(comp.body.stop).toEqual(['\nclass', '\ndef', '\n#', '\nif', '\nprint']);
  });
});
