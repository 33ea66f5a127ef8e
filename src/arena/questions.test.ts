import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkTemplate, DEFAULT_PROMPTS, renderPrompt, templateFor } from './prompts.js';
import { parseQuestions } from './questions.js';

describe('questions', () => {
  it('reads question, reference, category and id; an id defaults to a hash of the text', () => {
    const qs = parseQuestions('{"question":"Q1","reference":"R","category":"math","id":7}\n\n{"question":"Q2","reference":""}\n', 'q.jsonl');
    expect(qs[0]).toEqual({ id: '7', question: 'Q1', reference: 'R', category: 'math' });
    expect(qs[1]).toMatchObject({ question: 'Q2', reference: null, category: null });
    expect(qs[1]!.id).toMatch(/^q-[0-9a-f]{12}$/);
    expect(parseQuestions('{"question":"Q2"}', 'other.jsonl')[0]!.id).toBe(qs[1]!.id);
  });

  it.each([
    ['{"question":"a"}\nnot json', /q.jsonl line 2 is not valid JSON/],
    ['{"prompt":"a"}', /line 1: no "question" text/],
    ['{"question":"a","reference":3}', /"reference" must be a string/],
    ['{"question":"a"}\n{"question":"a"}', /line 2 repeats the question of line 1/],
    ['{"question":"a","id":"x"}\n{"question":"b","id":"x"}', /line 2 repeats the id "x" of line 1/],
    ['\n', /has no questions/],
  ])('%j is refused', (text, message) => {
    expect(() => parseQuestions(text, 'q.jsonl')).toThrow(message);
  });

  it('the example set in datasets/ parses: 20+ questions over several categories, some with references', () => {
    const path = fileURLToPath(new URL('../../datasets/arena-questions.jsonl', import.meta.url));
    const qs = parseQuestions(readFileSync(path, 'utf8'), path);
    expect(qs.length).toBeGreaterThanOrEqual(20);
    expect(new Set(qs.map((q) => q.category)).size).toBeGreaterThanOrEqual(5);
    expect(qs.some((q) => q.reference !== null) && qs.some((q) => q.reference === null)).toBe(true);
  });
});

describe('judge prompts', () => {
  it('fills placeholders in one pass: a placeholder inside an answer stays text', () => {
    const out = renderPrompt('Q: {question}\nA: {answer_a}\nB: {answer_b}\nRef: {reference}\n{"json": {"kept": true}}', { question: 'q?', reference: null, answer_a: 'I say {answer_b}', answer_b: 'b' });
    expect(out).toBe('Q: q?\nA: I say {answer_b}\nB: b\nRef: \n{"json": {"kept": true}}');
  });

  it('the built-in prompts ask for the format the parser reads, with a reference block only when there is one', () => {
    expect(templateFor('pair', null, true)).toMatch(/\[Reference answer\]\n\{reference\}/);
    expect(templateFor('pair', null, false)).not.toMatch(/reference/i);
    expect(DEFAULT_PROMPTS.pair.plain).toMatch(/\[\[A>>B\]\][\s\S]*\[\[B>>A\]\]/);
    expect(DEFAULT_PROMPTS.single.plain).toMatch(/Rating: \[\[N\]\]/);
    expect(templateFor('single', 'mine {question} {answer}', true)).toBe('mine {question} {answer}');
  });

  it('a user template must show the judge what it judges', () => {
    expect(() => checkTemplate('{question} {answer_a}', 'pair', 'p.txt')).toThrow(/p.txt has no \{answer_b\}/);
    expect(() => checkTemplate('{question} {answer}', 'single', 'p.txt')).not.toThrow();
    for (const kind of ['pair', 'single'] as const) for (const t of Object.values(DEFAULT_PROMPTS[kind])) expect(() => checkTemplate(t, kind, 'built-in')).not.toThrow();
  });
});
