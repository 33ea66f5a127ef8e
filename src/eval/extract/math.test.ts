import { describe, expect, it } from 'vitest';
import { lastBoxed } from './common.js';
import { extractMathAnswer, mathEquivalent, stripString } from './math.js';

type Row = [reply: string, extracted: string | null, rule: string, gold: string, correct: boolean];

const REPLIES: Row[] = [
  ['Thus $r = 3$ and $\\theta = \\frac{\\pi}{2}$, so $\\boxed{\\left( 3, \\frac{\\pi}{2} \\right)}$.', '\\left( 3, \\frac{\\pi}{2} \\right)', 'boxed', '\\left( 3, \\frac{\\pi}{2} \\right)', true],
  ['The answer is $\\boxed{\\dfrac{1}{2}}$.', '\\dfrac{1}{2}', 'boxed', '\\frac{1}{2}', true],
  ['\\boxed{0.5}', '0.5', 'boxed', '\\frac{1}{2}', true],
  ['\\boxed{1/2}', '1/2', 'boxed', '\\frac12', true],
  ['\\boxed{\\frac{\\sqrt{3}}{2}}', '\\frac{\\sqrt{3}}{2}', 'boxed', '\\frac{\\sqrt3}{2}', true],
  ['So the angle is \\boxed{90^\\circ}.', '90^\\circ', 'boxed', '90', true],
  ['\\boxed{x = 5}', 'x = 5', 'boxed', '5', true],
  ['\\boxed{\\$18.90}', '\\$18.90', 'boxed', '18.90', true],
  ['\\boxed{10\\%}', '10\\%', 'boxed', '10', true],
  ['\\boxed{5 \\text{ inches}}', '5 \\text{ inches}', 'boxed', '5', true],
  ['\\boxed{2.50}', '2.50', 'boxed', '2.5', true],
  ['\\boxed{1{,}000}', '1{,}000', 'boxed', '1000', true],
  ['First guess \\boxed{3}, corrected: \\boxed{\\{1, 2\\}}', '\\{1, 2\\}', 'boxed', '\\{1,2\\}', true],
  ['Nested \\boxed{\\frac{a^{2}}{b_{1}}} done', '\\frac{a^{2}}{b_{1}}', 'boxed', '\\frac{a^{2}}{b_{1}}', true],
  ['Solving gives x^2.\nAnswer: $(x+1)^2$', '(x+1)^2', 'answer-line', 'x^2+2x+1', false],
  ['ANSWER: 7', '7', 'answer-line', '7', true],
  ['\\boxed{\\frac{3}{4}', null, 'none', '\\frac34', false],
  ['I could not solve it.', null, 'none', '4', false],
  ['\\boxed{-\\frac{2}{3}}', '-\\frac{2}{3}', 'boxed', '\\frac{-2}{3}', true],
];

describe('MATH extraction and strip_string+numeric equivalence', () => {
  it.each(REPLIES)('%#: %j -> %s', (reply, extracted, rule, gold, correct) => {
    const ex = extractMathAnswer(reply);
    expect(ex).toEqual({ answer: extracted, rule });
    expect(mathEquivalent(ex.answer, gold)).toBe(correct);
  });
});

describe('lm-eval strip_string, line by line', () => {
  it.each([
    ['\\left( 3, \\frac{\\pi}{2} \\right)', '(3,\\frac{\\pi}{2})'],
    ['\\dfrac12', '\\frac{1}{2}'],
    ['\\tfrac{3}{4}', '\\frac{3}{4}'],
    ['\\frac1{72}', '\\frac{1}{72}'],
    ['\\sqrt3', '\\sqrt{3}'],
    ['.5', '\\frac{1}{2}'],
    ['k = 7', '7'],
    ['3/4', '\\frac{3}{4}'],
    ['03/4', '03/4'],
    ['10\\%', '10'],
    ['5\\text{cm}', '5\\text{cm}'],
    ['5 \\text{ cm}', '5'],
    ['\\$ 4.50', '4.50'],
    ['45^{\\circ}', '45'],
    ['\\!1\\,000', '1\\,000'],
  ])('%j -> %j', (input, out) => {
    expect(stripString(input)).toBe(out);
  });

  it('throws where lm-eval would, and then compares the raw strings', () => {
    expect(() => stripString('a \\text{ b} \\text{ c}')).toThrow();
    expect(mathEquivalent('a \\text{ b} \\text{ c}', 'a \\text{ b} \\text{ c}')).toBe(true);
    expect(mathEquivalent('\\frac', '\\frac')).toBe(true);
  });
});

describe('lastBoxed', () => {
  it('matches braces, takes the last, handles \\boxed 5 and \\fbox', () => {
    expect(lastBoxed('\\boxed{a{b}c} then \\boxed{d}')).toBe('d');
    expect(lastBoxed('x \\boxed{\\frac{1}{2}}')).toBe('\\frac{1}{2}');
    expect(lastBoxed('$\\boxed 5$ done')).toBe('5');
    expect(lastBoxed('\\fbox{7}')).toBe('7');
    expect(lastBoxed('\\boxed{unclosed')).toBeNull();
    expect(lastBoxed('none')).toBeNull();
  });
});
