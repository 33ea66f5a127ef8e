/**
 * Reading a judge's reply: a pairwise verdict (A>>B, A>B, A=B, B>A, B>>A) or a 1-10 score.
 * Patterns are tried in order; the first one that matches decides. If its matches disagree
 * (a judge that restates the options, or changes its mind), or one is not a verdict, the reply
 * is unparsed: counted, never guessed (the Arena-Hard rule). `--verdict-pattern` replaces the
 * built-in patterns; the first capture group is the verdict (or the score).
 */
export const VERDICTS = ['A>>B', 'A>B', 'A=B', 'B>A', 'B>>A'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface Pattern {
  name: string;
  regex: RegExp;
}

export interface Parsed<T> {
  value: T | null;
  /** The pattern that decided, or null when none matched. */
  rule: string | null;
  /** Why there is no value: nothing matched, the matches disagree, or a match is out of range. */
  problem: 'none' | 'conflict' | 'invalid' | null;
}

const TOKEN = String.raw`[AB]\s*(?:>>|>|==?|<<|<)\s*[AB]`;

export const DEFAULT_VERDICT_PATTERNS: readonly Pattern[] = [
  { name: '[[A>B]]', regex: new RegExp(String.raw`\[\[\s*(${TOKEN}|tie)\s*\]\]`, 'gi') },
  // MT-bench's pairwise format: [[A]], [[B]], or [[C]] for a tie.
  { name: '[[A]]', regex: /\[\[\s*([ABC])\s*\]\]/g },
  { name: 'verdict: A>B', regex: new RegExp(String.raw`verdict(?:\s+is)?\s*(?:\*\*)?\s*[:：\-–—]?\s*(?:\*\*|\x60|\[|\(|")*\s*(${TOKEN}|tie\b)`, 'gi') },
  { name: 'a line with only A>B', regex: new RegExp(String.raw`^[\s>*#\x60\[(]*(${TOKEN})[\s*\x60\]).]*$`, 'gim') },
];

const NUMBER = String.raw`\d+(?:\.\d+)?`;

export const DEFAULT_SCORE_PATTERNS: readonly Pattern[] = [
  { name: '[[7]]', regex: new RegExp(String.raw`\[\[\s*(${NUMBER})\s*(?:/\s*10\s*)?\]\]`, 'g') },
  { name: 'rating: 7', regex: new RegExp(String.raw`\b(?:rating|score|grade)(?:\s+is)?\s*(?:\*\*)?\s*[:：=]?\s*(?:\*\*|\[)*\s*(${NUMBER})`, 'gi') },
  { name: '7/10', regex: new RegExp(String.raw`(${NUMBER})\s*(?:/|out\s+of)\s*10\b`, 'gi') },
];

/** A verdict in any of the usual spellings (A<B, B=A, tie, MT-bench's A/B/C), or null. */
export function normalizeVerdict(token: string): Verdict | null {
  const t = token.replace(/[\s*\x60'"]/g, '').toUpperCase();
  if (t === 'TIE' || t === 'C') return 'A=B';
  const tie = /^([AB])==?([AB])$/.exec(t);
  if (tie) return tie[1] !== tie[2] ? 'A=B' : null;
  if (t === 'A') return 'A>B';
  if (t === 'B') return 'B>A';
  const m = /^([AB])(>>|>|<<|<)([AB])$/.exec(t);
  if (!m || m[1] === m[3]) return null;
  // A<B is B>A: put the winner first.
  const [winner, loser] = m[2]!.startsWith('<') ? [m[3]!, m[1]!] : [m[1]!, m[3]!];
  return `${winner}${m[2]!.length === 2 ? '>>' : '>'}${loser}` as Verdict;
}

/** A 1-10 score, or null when out of range. */
function normalizeScore(token: string): number | null {
  const x = Number(token);
  return Number.isFinite(x) && x >= 1 && x <= 10 ? x : null;
}

/** Reasoning shown inline (`<think>...</think>`, or one cut off by max_tokens) is not the verdict. */
export function stripThinking(reply: string): string {
  return reply.replace(/<think>[\s\S]*?<\/think>/gi, '').replace(/<think>[\s\S]*$/i, '');
}

function parseWith<T>(reply: string, patterns: readonly Pattern[], normalize: (token: string) => T | null): Parsed<T> {
  const text = stripThinking(reply);
  for (const p of patterns) {
    const found = [...text.matchAll(p.regex)].map((m) => m[1] ?? '');
    if (found.length === 0) continue;
    const values = found.map(normalize);
    if (values.some((v) => v === null)) return { value: null, rule: p.name, problem: 'invalid' };
    if (new Set(values).size > 1) return { value: null, rule: p.name, problem: 'conflict' };
    return { value: values[0]!, rule: p.name, problem: null };
  }
  return { value: null, rule: null, problem: 'none' };
}

export function parseVerdict(reply: string, patterns: readonly Pattern[] = DEFAULT_VERDICT_PATTERNS): Parsed<Verdict> {
  return parseWith(reply, patterns, normalizeVerdict);
}

export function parseScore(reply: string, patterns: readonly Pattern[] = DEFAULT_SCORE_PATTERNS): Parsed<number> {
  return parseWith(reply, patterns, normalizeScore);
}

/**
 * A user's `--verdict-pattern`: a regular expression, as `/source/flags` or bare (then matched
 * case-insensitively and per line). It must capture the verdict or score in its first group.
 */
export function compilePattern(text: string): Pattern {
  const slashed = /^\/([\s\S]+)\/([a-z]*)$/.exec(text);
  const source = slashed ? slashed[1]! : text;
  const flags = new Set(slashed ? slashed[2]!.split('') : ['i', 'm']);
  flags.add('g');
  let regex: RegExp;
  try {
    regex = new RegExp(source, [...flags].join(''));
  } catch (e) {
    throw new Error(`--verdict-pattern ${JSON.stringify(text)} is not a regular expression: ${(e as Error).message}`);
  }
  // The group count of a regex: what an alternative that always matches the empty string captures.
  const groups = new RegExp(`(?:${source})|`, regex.flags.replace('g', '')).exec('')!.length - 1;
  if (groups < 1) throw new Error(`--verdict-pattern ${JSON.stringify(text)} has no capture group: put the verdict (or score) in ( ), e.g. "Winner: (A>>B|A>B|A=B|B>A|B>>A)"`);
  return { name: text, regex };
}
