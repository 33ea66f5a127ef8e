import { describe, expect, it } from 'vitest';
import { extractBoxedFirst, extractBoxedOnly, extractFlexible, extractHashes, gsm8kGold, numberValue, numericEqual } from './numeric.js';

type Row = [reply: string, flexible: string | null, rule: string, strict: string | null, gold: string, correct: boolean];

// 0-shot boxed prompt: EvalScope's chain is the score, \boxed{} alone the strict metric.
const BOXED: Row[] = [
  ['16 - 3 - 4 = 9 eggs, 9 * 2 = 18.\n\nThe answer is $\\boxed{18}$.', '18', 'boxed', '18', '18', true],
  ['So she makes \\boxed{\\$18} every day.', '18', 'boxed', '18', '18', true],
  ['Total: \\boxed{1,000} dollars', '1000', 'boxed', '1000', '1000', true],
  ['\\boxed{18 \\text{ dollars}}', '18', 'boxed', '18', '18', true],
  ['\\boxed{x = 42}', '42', 'boxed', '42', '42', true],
  ['\\boxed{\\frac{7}{2}}', '\\frac{7}{2}', 'boxed', '\\frac{7}{2}', '3.5', true],
  ['First \\boxed{10}, but recheck: \\boxed{12}', '12', 'boxed', '12', '12', true],
  ['**Final Answer**\n\\[\n\\boxed{70000}\n\\]', '70000', 'boxed', '70000', '70000', true],
  ['The answer is 42.', '42', 'answer-is', null, '42', true],
  ['The final answer is $1,234.', '1234', 'answer-is', null, '1234', true],
  ['She earns 9 * 2 = 18 dollars per day.', '18', 'last-number', null, '18', true],
  ['It costs $2,125.00 in total.', '$2,125.00', 'last-number', null, '2125', true],
  ['So the result is -5.', '-5.', 'last-number', null, '-5', true],
  ['\\boxed{17}', '17', 'boxed', '17', '18', false],
  ['I cannot determine this.', null, 'none', null, '18', false],
  ['<think>maybe \\boxed{5}</think>It is 6', '6', 'last-number', null, '6', true],
  ['\\boxed{18.0}', '18.0', 'boxed', '18.0', '18', true],
];

describe('GSM8K 0-shot: boxed first (EvalScope), strict = boxed only', () => {
  it.each(BOXED)('%#: %j -> %s', (reply, flexible, rule, strict, gold, correct) => {
    const ex = extractBoxedFirst(reply);
    expect(ex).toEqual({ answer: flexible, rule });
    expect(extractBoxedOnly(reply).answer).toBe(strict);
    expect(numericEqual(ex.answer, gold)).toBe(correct);
  });
});

describe('GSM8K few-shot: lm-eval strict-match and flexible-extract', () => {
  it.each([
    ['She sells 9 eggs.\n9 * 2 = <<9*2=18>>18\n#### 18', '18', '18'],
    ['Total is 1,000.\n#### 1,000', '1,000', '1,000'],
    ['#### 5\n\nQuestion: another one with 7 apples', '5', '7'],
    ['The answer is 12 apples and 3 pears.', null, '3'],
    ['Costs $4.50 each...', null, '$4.50'],
    ['no digits at all...', null, null],
  ] as const)('%j -> strict %s, flexible %s', (reply, strict, flexible) => {
    expect(extractHashes(reply).answer).toBe(strict);
    expect(extractFlexible(reply).answer).toBe(flexible);
  });
});

describe('numbers and comparison', () => {
  it('gold: the text after ####, commas removed', () => {
    expect(gsm8kGold('Some work\n#### 1,600')).toBe('1600');
    expect(gsm8kGold('no marker')).toBeNull();
  });

  it('parses the shapes answers take', () => {
    expect(numberValue('$1,000.')).toBe(1000);
    expect(numberValue('\\$18')).toBe(18);
    expect(numberValue('25%')).toBe(25);
    expect(numberValue('-\\frac{1}{4}')).toBe(-0.25);
    expect(numberValue('3/4')).toBe(0.75);
    expect(numberValue('.5')).toBe(0.5);
    expect(numberValue('two')).toBeNull();
  });

  it('compares numerically within 1e-4 relative, else as text', () => {
    expect(numericEqual('18.00', '18')).toBe(true);
    expect(numericEqual('1,000', '1000')).toBe(true);
    expect(numericEqual('100000.5', '100000')).toBe(true);
    expect(numericEqual('18.1', '18')).toBe(false);
    expect(numericEqual(null, '18')).toBe(false);
    expect(numericEqual('x+1', 'x+1')).toBe(true);
  });
});
