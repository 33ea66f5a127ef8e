/**
 * Answers to multiple-choice questions: a letter from a generated reply, several letters
 * (TruthfulQA MC2-gen), or the most likely letter from `top_logprobs`.
 *
 * Generated replies go through a chain of rules and the first that finds a valid letter wins;
 * the rule's name is recorded per item. The main rule follows EvalScope: the LAST answer marker
 * that is followed by a letter of this item, accepting `(B)`, `[B]`, `**B**`, `$B$`,
 * `\boxed{B}`. Reasoning models restate the format ("the last line must be 'Answer: $LETTER'")
 * and change their mind, so the first marker (simple-evals) is often not the answer. Letters
 * outside the item's options never count. No rule guesses: no match is `null` (unparsed),
 * unlike EvalScope's last-capital-letter fallback or CMMLU's random letter.
 */
import type { Extraction } from '../types.js';
import { lastBoxed, letters, stripThinking } from './common.js';

export type LetterRule = 'answer-line' | 'answer-is' | 'boxed' | 'leading-letter';

/** CoT replies: the marker first. Few-shot replies (`B`, `B. Paris`): the opening letter first. */
export const COT_ORDER: LetterRule[] = ['answer-line', 'answer-is', 'boxed', 'leading-letter'];
export const FEWSHOT_ORDER: LetterRule[] = ['leading-letter', 'answer-line', 'answer-is', 'boxed'];

// Wrappers a model may put around the letter: markdown bold, math, \boxed / \text, brackets.
const WRAP = String.raw`(?:\s|\*|_|\$|\\boxed\{|\\text(?:bf)?\{|\\mathrm\{|\\mathbf\{|[(\[{（【]|[Oo]ption\s|[Cc]hoice\s|选项|选)*`;
// The letter must end there: "Answer: All of these" is not A.
const END = String.raw`(?![A-Za-z0-9])`;

const EN_MARKER = /(?:answer|ANSWER|Answer)\s*[:：]/g;
const ZH_MARKER = /答案\s*(?:是|为|應為|应为|应该是)?\s*[:：]?/g;
const LABEL = new RegExp(`^${WRAP}([A-Z])${END}`);
const ANSWER_IS = new RegExp(
  String.raw`(?:[Aa]nswer|[Oo]ption|[Cc]hoice)\s+(?:is|would\s+be|should\s+be|must\s+be)\s*:?\s*${WRAP}([A-Z])${END}`,
  'g',
);
const LEADING = /^[\s*_([]*([A-Z])(?:[\s*_.):\]]*$|[.):\]]\s|\*\*|\s*\n)/;

/** A single letter from a generated reply, by the rules in `order`. */
export function extractLetter(text: string, n: number, order: LetterRule[] = COT_ORDER, lang: 'en' | 'zh' = 'en'): Extraction {
  const t = stripThinking(text);
  const ok = new Set(letters(n));
  for (const rule of order) {
    const got = applyRule(rule, t, ok, lang);
    if (got !== null) return { answer: got, rule: rule === 'answer-line' && lang === 'zh' ? ruleZh(t, ok) : rule };
  }
  return { answer: null, rule: t.trim() === '' ? 'empty' : 'none' };
}

function applyRule(rule: LetterRule, t: string, ok: Set<string>, lang: 'en' | 'zh'): string | null {
  switch (rule) {
    case 'answer-line':
      return (lang === 'zh' ? lastMarked(t, ZH_MARKER, ok) : null) ?? lastMarked(t, EN_MARKER, ok);
    case 'answer-is': {
      let found: string | null = null;
      for (const m of t.matchAll(ANSWER_IS)) if (ok.has(m[1]!)) found = m[1]!;
      return found;
    }
    case 'boxed': {
      const b = lastBoxed(t);
      return b === null ? null : labelAt(b.trim(), ok);
    }
    case 'leading-letter': {
      const m = LEADING.exec(t.trim().replace(/^(?:answer|ANSWER|Answer|答案)\s*[:：]\s*/, ''));
      return m && ok.has(m[1]!) ? m[1]! : null;
    }
  }
}

/** Which marker won in Chinese replies: `答案：` or an English `Answer:`. */
function ruleZh(t: string, ok: Set<string>): string {
  return lastMarked(t, ZH_MARKER, ok) !== null ? 'answer-line-zh' : 'answer-line';
}

/** The letter after the last marker that is followed by one of the item's letters. */
function lastMarked(t: string, marker: RegExp, ok: Set<string>): string | null {
  const ends = [...t.matchAll(marker)].map((m) => m.index! + m[0].length);
  for (let k = ends.length - 1; k >= 0; k--) {
    const got = labelAt(t.slice(ends[k]!, ends[k]! + 80), ok);
    if (got !== null) return got;
  }
  return null;
}

/** The option letter at the start of `s`, unless it is the pronoun ("Answer: I think ..."). */
function labelAt(s: string, ok: Set<string>): string | null {
  const m = LABEL.exec(s);
  if (!m || !ok.has(m[1]!)) return null;
  if (m[1] === 'I' && /^\s+[a-z']/.test(s.slice(m[0].length))) return null;
  return m[1]!;
}

/**
 * Several letters after the last `ANSWER:` marker (`ACD`, `A, C and D`, `(A) (C)`), every one an
 * option of the item; returned sorted and without repeats.
 */
export function extractLetters(text: string, n: number, lang: 'en' | 'zh' = 'en'): Extraction {
  const t = stripThinking(text);
  const ok = new Set(letters(n));
  const markers = lang === 'zh' ? [ZH_MARKER, EN_MARKER] : [EN_MARKER];
  for (const marker of markers) {
    const ends = [...t.matchAll(marker)].map((m) => m.index! + m[0].length);
    for (let k = ends.length - 1; k >= 0; k--) {
      const got = letterList(t.slice(ends[k]!).split('\n')[0]!, ok);
      if (got !== null) return { answer: got, rule: 'answer-line' };
    }
  }
  return { answer: null, rule: t.trim() === '' ? 'empty' : 'none' };
}

function letterList(line: string, ok: Set<string>): string | null {
  const cleaned = line
    .replace(/\\boxed\{|\\text\{/g, '')
    .replace(/[*_$(){}\[\]（）【】]/g, ' ')
    .replace(/\s+(?:and|&|和)\s+/g, ',')
    .trim()
    .replace(/[.。]\s*$/, '');
  const m = /^([A-Z](?:\s*[,，、;]?\s*[A-Z])*)(?![A-Za-z0-9])/.exec(cleaned);
  if (!m) return null;
  const found = m[1]!.match(/[A-Z]/g)!;
  if (!found.every((l) => ok.has(l))) return null;
  return [...new Set(found)].sort().join('');
}

/**
 * The most likely option letter at the first generated position. Tokens are compared after
 * trimming whitespace and the tokenizer's space markers (`▁`, `Ġ`), so `A` and ` A` both count;
 * their probabilities are summed, as both spell the same answer.
 */
export function letterFromLogprobs(top: Record<string, number>[] | undefined, n: number): Extraction {
  const first = top?.[0];
  if (!first) return { answer: null, rule: 'no-logprobs' };
  const ok = letters(n);
  const mass = new Map<string, number>();
  for (const [tok, lp] of Object.entries(first)) {
    const t = tok.replace(/^[\s\u2581\u0120]+|[\s\u2581\u0120]+$/g, '');
    if (ok.includes(t) && Number.isFinite(lp)) mass.set(t, (mass.get(t) ?? 0) + Math.exp(lp));
  }
  let best: string | null = null;
  for (const l of ok) if (mass.has(l) && (best === null || mass.get(l)! > mass.get(best)!)) best = l;
  return best === null ? { answer: null, rule: 'no-letter-in-top-logprobs' } : { answer: best, rule: 'letter-logprob' };
}

/** TruthfulQA MC2-gen: 0 if any chosen letter is false, else the share of true letters chosen. */
export function mc2GenScore(chosen: string | null, trueLetters: string): number {
  if (chosen === null || trueLetters.length === 0) return 0;
  const truth = new Set(trueLetters);
  let hit = 0;
  for (const l of new Set(chosen)) {
    if (!truth.has(l)) return 0;
    hit++;
  }
  return hit / truth.size;
}
