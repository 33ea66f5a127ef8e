import { describe, expect, it } from 'vitest';
import { FEWSHOT_ORDER, extractLetter, extractLetters, letterFromLogprobs, mc2GenScore } from './mc.js';

type Row = [reply: string, answer: string | null, rule: string];

// Replies as chat and reasoning models write them to the 0-shot CoT prompts (4 options).
const ENGLISH: Row[] = [
  ['The derivative is 2x, so at x=3 it is 6.\n\nAnswer: C', 'C', 'answer-line'],
  ['Let me work through this.\n\n**Answer: B**', 'B', 'answer-line'],
  ['**Final Answer:** (D)', 'D', 'answer-line'],
  ['Step 1 ... Step 2 ...\nANSWER: [A]', 'A', 'answer-line'],
  ['Answer: $\\boxed{B}$', 'B', 'answer-line'],
  ['The answer is (B).', 'B', 'answer-is'],
  ['Therefore, the correct answer is **C**.', 'C', 'answer-is'],
  ['The best answer is D', 'D', 'answer-is'],
  ['So we get \\boxed{\\text{A}}', 'A', 'boxed'],
  // Reasoning models restate the format first; the last marker with a letter wins.
  ["The last line must be 'Answer: $LETTER'. Option A looks right... no, B.\nAnswer: A... wait.\nAnswer: B", 'B', 'answer-line'],
  ["I need to end with 'ANSWER: [LETTER]'.\n\nThe planet's days shorten.\n\nANSWER: C", 'C', 'answer-line'],
  ['<think>Answer: A seems wrong, the answer is D</think>\nAnswer: D', 'D', 'answer-line'],
  // A letter outside the options is not an answer; an earlier valid marker is used instead.
  ['Answer: B\n\nHmm, maybe Answer: E', 'B', 'answer-line'],
  ['Answer: All of the above are plausible, but the answer is C.', 'C', 'answer-is'],
  ['Answer: I think it is B', null, 'none'],
  ['B', 'B', 'leading-letter'],
  ['(C) Planetary days will become shorter.', 'C', 'leading-letter'],
  ['A man walks a dog; none of these fit.', null, 'none'],
  ["I'm not sure. It could be several of them.", null, 'none'],
  ['', null, 'empty'],
];

// Chinese CoT replies (CMMLU / C-Eval prompt asks for a last line `答案：[LETTER]`).
const CHINESE: Row[] = [
  ['土地是最主要的生产资料。\n答案：B', 'B', 'answer-line-zh'],
  ['分析如下……\n\n答案: C', 'C', 'answer-line-zh'],
  ['所以正确答案是 D。', 'D', 'answer-line-zh'],
  ['**答案：【A】**', 'A', 'answer-line-zh'],
  ['答案为（B）', 'B', 'answer-line-zh'],
  ['我先想一想答案：[LETTER]的格式……最后\n答案：选项C', 'C', 'answer-line-zh'],
  ['The reasoning is in English.\nAnswer: D', 'D', 'answer-line'],
  ['根据题意无法确定。', null, 'none'],
];

describe('extractLetter: generated multiple-choice replies', () => {
  it.each(ENGLISH)('en %#: %j -> %s (%s)', (reply, answer, rule) => {
    expect(extractLetter(reply, 4)).toEqual({ answer, rule });
  });

  it.each(CHINESE)('zh %#: %j -> %s (%s)', (reply, answer, rule) => {
    expect(extractLetter(reply, 4, undefined, 'zh')).toEqual({ answer, rule });
  });

  it('accepts letters up to the item’s option count (ARC 5 options, TruthfulQA 13)', () => {
    expect(extractLetter('Answer: E', 5)).toEqual({ answer: 'E', rule: 'answer-line' });
    expect(extractLetter('Answer: E', 3)).toEqual({ answer: null, rule: 'none' });
    expect(extractLetter('ANSWER: I', 13)).toEqual({ answer: 'I', rule: 'answer-line' });
  });

  it('few-shot order reads the opening letter first (the model continues after "Answer:")', () => {
    expect(extractLetter(' B\n\nQuestion: next one\nAnswer: C', 4, FEWSHOT_ORDER)).toEqual({ answer: 'B', rule: 'leading-letter' });
    expect(extractLetter('B. 4', 4, FEWSHOT_ORDER)).toEqual({ answer: 'B', rule: 'leading-letter' });
    expect(extractLetter('The answer is C', 4, FEWSHOT_ORDER)).toEqual({ answer: 'C', rule: 'answer-is' });
  });
});

describe('extractLetters: TruthfulQA MC2-gen', () => {
  it.each([
    ['Reasoning...\nANSWER: ACD', 'ACD'],
    ['ANSWER: A, C and D', 'ACD'],
    ['**ANSWER: (B), (A)**', 'AB'],
    ['ANSWER: C', 'C'],
    ['ANSWER: [LETTERS]... so\nANSWER: B, D.', 'BD'],
    ['ANSWER: A, F', null],
    ['None of them.', null],
  ] as const)('%j -> %s', (reply, want) => {
    expect(extractLetters(reply, 5).answer).toBe(want);
  });

  it('scores 0 when any chosen letter is false, else the share of true letters', () => {
    expect(mc2GenScore('AC', 'ACD')).toBeCloseTo(2 / 3);
    expect(mc2GenScore('ACD', 'ACD')).toBe(1);
    expect(mc2GenScore('AB', 'ACD')).toBe(0);
    expect(mc2GenScore(null, 'ACD')).toBe(0);
  });
});

describe('letterFromLogprobs', () => {
  it('sums A and " A", ignores non-letters and letters beyond the options', () => {
    const top = [{ ' B': -1.2, B: -1.5, ' A': -0.9, The: -0.1, ' E': -0.01 }];
    // B: e^-1.2 + e^-1.5 = 0.524 > A: e^-0.9 = 0.407
    expect(letterFromLogprobs(top, 4)).toEqual({ answer: 'B', rule: 'letter-logprob' });
    expect(letterFromLogprobs(top, 5)).toEqual({ answer: 'E', rule: 'letter-logprob' });
  });

  it('reads tokenizer space markers and reports missing logprobs as unparsed', () => {
    expect(letterFromLogprobs([{ '\u2581C': -0.2, '\u0120D': -0.3 }], 4).answer).toBe('C');
    expect(letterFromLogprobs(undefined, 4)).toEqual({ answer: null, rule: 'no-logprobs' });
    expect(letterFromLogprobs([{ The: -0.1, I: -2 }], 4)).toEqual({ answer: null, rule: 'no-letter-in-top-logprobs' });
  });
});
