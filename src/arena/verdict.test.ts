import { describe, expect, it } from 'vitest';
import { compilePattern, normalizeVerdict, parseScore, parseVerdict, type Verdict } from './verdict.js';

/** Replies as judges write them: each with the verdict it should read, or why it reads none. */
const REPLIES: [string, string, Verdict | null, string | null][] = [
  ['the requested format', 'Assistant A explains the method and gets the right answer.\n\n[[A>>B]]', 'A>>B', null],
  ['tie in words and brackets', 'Both answers are correct and equally clear.\n\nMy final verdict is tie: [[A=B]]', 'A=B', null],
  ['bold verdict line', 'B is more complete.\n\n**Verdict: B>A**', 'B>A', null],
  ['bold brackets', 'Assistant B is significantly better: **[[B>>A]]**', 'B>>A', null],
  ['Arena-Hard phrasing', 'My final verdict is: Assistant A is slightly better: [[A>B]]', 'A>B', null],
  ['restated with reversed operator', 'Overall, [[B<A]].', 'A>B', null],
  ['tie spelled B=A', 'They are equivalent. [[B=A]]', 'A=B', null],
  ['MT-bench letters', 'After comparing both, Assistant B follows the instructions better.\n\n[[B]]', 'B>A', null],
  ['MT-bench tie letter', 'Neither is better. [[C]]', 'A=B', null],
  ['final verdict with backticks', 'Final Verdict: `A>>B`', 'A>>B', null],
  ['markdown heading and a line of its own', '### Evaluation\n- correctness: both fine\n- clarity: B\n\n## Final verdict\n\nB>>A\n', 'B>>A', null],
  ['reasoning shown inline is ignored', '<think>Maybe [[A>B]]... no, B handles the edge case.</think>\nVerdict: [[B>A]]', 'B>A', null],
  ['the same verdict twice agrees', 'I judge [[A>B]] because ... so again: [[A>B]]', 'A>B', null],
  ['spaces inside the brackets', '[[ A > B ]]', 'A>B', null],
  ['lowercase tie', 'verdict: tie', 'A=B', null],
  ['restated options, then a verdict: conflicting, not guessed', 'Options are [[A>>B]], [[A>B]], [[A=B]], [[B>A]], [[B>>A]].\nMy final verdict is [[A>B]]', null, 'conflict'],
  ['a change of mind: conflicting', '[[A>B]] ... on reflection, [[B>A]]', null, 'conflict'],
  ['a verdict in prose only', 'Assistant A is clearly better than Assistant B.', null, 'none'],
  ['truncated while thinking', '<think>Comparing the two answers, [[A>B]] seems', null, 'none'],
  ['garbage', '¯\\_(ツ)_/¯ 42', null, 'none'],
  ['empty', '', null, 'none'],
  ['a model compared with itself', '[[A>A]]', null, 'invalid'],
];

describe('parseVerdict on judge replies', () => {
  it.each(REPLIES)('%s', (_, reply, verdict, problem) => {
    const p = parseVerdict(reply);
    expect(p.value).toBe(verdict);
    expect(p.problem).toBe(problem);
    if (verdict !== null) expect(p.rule).not.toBeNull();
  });
});

describe('normalizeVerdict', () => {
  it.each([
    ['A>>B', 'A>>B'],
    ['b<<a', 'A>>B'],
    ['A<B', 'B>A'],
    ['A==B', 'A=B'],
    ['Tie', 'A=B'],
    ['A', 'A>B'],
    ['B=B', null],
    ['A>>>B', null],
    ['maybe', null],
  ])('%s -> %s', (token, want) => {
    expect(normalizeVerdict(token)).toBe(want);
  });
});

describe('parseScore on grading replies', () => {
  it.each([
    ['Correct and clear.\n\nRating: [[8]]', 8, null],
    ['**Score: 7/10**', 7, null],
    ['I would give this answer 6 out of 10.', 6, null],
    ['Rating: [[7.5]]', 7.5, null],
    ['Rating: [[11]]', null, 'invalid'],
    ['Rating: [[6]] ... actually Rating: [[4]]', null, 'conflict'],
    ['A fine answer overall.', null, 'none'],
  ] as const)('%j -> %s', (reply, score, problem) => {
    const p = parseScore(reply);
    expect(p.value).toBe(score);
    expect(p.problem).toBe(problem);
  });
});

describe('--verdict-pattern', () => {
  it('a bare pattern is case-insensitive and per line; its first group is the verdict', () => {
    const p = compilePattern('^winner:\\s*(A>>B|A>B|A=B|B>A|B>>A)$');
    expect(parseVerdict('Thoughts...\nWINNER: B>A\n', [p]).value).toBe('B>A');
    expect(parseVerdict('winner: none', [p]).problem).toBe('none');
  });

  it('/source/flags keeps the given flags', () => {
    const p = compilePattern('/Decision=(A|B|C)/');
    expect(parseVerdict('Decision=C', [p]).value).toBe('A=B');
    expect(parseVerdict('decision=C', [p]).problem).toBe('none');
  });

  it('scores with a pattern of their own', () => {
    expect(parseScore('GRADE -> 9', [compilePattern('grade\\s*->\\s*(\\d+)')]).value).toBe(9);
  });

  it.each([
    ['A>B', /no capture group/],
    ['(A>B', /is not a regular expression/],
  ])('%s is refused: %s', (text, message) => {
    expect(() => compilePattern(text)).toThrow(message);
  });
});
