/**
 * Numbers in GSM8K replies. Two families of rules:
 *  - EvalScope (the default 0-shot `\boxed{}` prompt): the last `\boxed{...}`, else the text after
 *    the last "answer is", else the last number in the reply;
 *  - lm-eval (few-shot `#### N` prompt): strict `#### (\-?[0-9\.\,]+)` (first match), flexible
 *    the LAST match of `(-?[$0-9.,]{2,})|(-?[0-9]+)`.
 * Comparison is numeric after removing `,` `$` and a trailing `.` (14 gold answers have commas),
 * with EvalScope's relative tolerance 1e-4.
 */
import type { Extraction } from '../types.js';
import { lastBoxed, stripThinking } from './common.js';

/** An answer text without what does not change its value: `$`, `,`, `%`, `\text{units}`, spacing. */
function cleanNumberText(s: string): string {
  const t = s
    .replace(/\\(?:text|textbf|mathrm|mbox)\s*\{[^{}]*\}/g, ' ')
    .replace(/\\[$%,!;: ]|\\left|\\right/g, '')
    .replace(/[$,%]/g, '')
    .replace(/\s+/g, '')
    .replace(/\.+$/, '');
  return t.startsWith('+') ? t.slice(1) : t;
}

/**
 * The number a short answer text spells: `1,000`, `$18.00`, `18 \text{ dollars}`, `\frac{7}{2}`,
 * `-3.` ... null when it is not one number.
 */
export function numberValue(s: string): number | null {
  const t = cleanNumberText(s);
  if (/^-?(?:\d+\.?\d*|\.\d+)$/.test(t)) return Number(t);
  const frac = /^(-?)\\[dt]?frac\{(-?\d+(?:\.\d+)?)\}\{(-?\d+(?:\.\d+)?)\}$/.exec(t) ?? /^(-?)(\d+)\/(\d+)$/.exec(t);
  if (frac) {
    const v = Number(frac[2]) / Number(frac[3]);
    return Number.isFinite(v) ? (frac[1] === '-' ? -v : v) : null;
  }
  return null;
}

/** The number in an answer text (cleaned), else the last number inside it (`x = 18`, `18 eggs`). */
function numberIn(s: string): string | null {
  if (numberValue(s) !== null) return cleanNumberText(s);
  const all = s.replace(/,(?=\d{3}\b)/g, '').match(/-?\d*\.?\d+/g);
  return all ? all[all.length - 1]! : null;
}

/** GSM8K gold: the text after `#### `, commas removed. */
export function gsm8kGold(answer: string): string | null {
  const k = answer.lastIndexOf('####');
  if (k < 0) return null;
  return answer.slice(k + 4).trim().replace(/,/g, '');
}

/** EvalScope chain for the `\boxed{}` prompt: boxed, then "answer is", then the last number. */
export function extractBoxedFirst(text: string): Extraction {
  const t = stripThinking(text);
  const boxed = lastBoxed(t);
  if (boxed !== null) {
    const n = numberIn(boxed);
    return n === null ? { answer: boxed.trim(), rule: 'boxed' } : { answer: n, rule: 'boxed' };
  }
  const k = t.search(/(?:[Tt]he (?:final )?answer is)(?![\s\S]*[Tt]he (?:final )?answer is)/);
  if (k >= 0) {
    const after = t.slice(k).replace(/^[Tt]he (?:final )?answer is\s*:?\s*/, '');
    const m = /^[^\n]*?(-?\$?\d[\d,]*(?:\.\d+)?)/.exec(after);
    if (m) return { answer: m[1]!.replace(/[$,]/g, ''), rule: 'answer-is' };
  }
  const last = lastNumber(t);
  return last === null ? { answer: null, rule: t.trim() === '' ? 'empty' : 'none' } : { answer: last, rule: 'last-number' };
}

/** Strict for the `\boxed{}` prompt: only the format it asked for. */
export function extractBoxedOnly(text: string): Extraction {
  const boxed = lastBoxed(stripThinking(text));
  if (boxed === null) return { answer: null, rule: 'no-boxed' };
  return { answer: numberIn(boxed) ?? boxed.trim(), rule: 'boxed' };
}

/** lm-eval strict-match: the first `#### N`. */
export function extractHashes(text: string): Extraction {
  const m = /#### (-?[0-9.,]+)/.exec(stripThinking(text));
  return m ? { answer: m[1]!, rule: 'strict-match' } : { answer: null, rule: 'no-####' };
}

/**
 * lm-eval flexible-extract: the last match of `(-?[$0-9.,]{2,})|(-?[0-9]+)`. Matches without a
 * digit (`...`, `,,`) are skipped: lm-eval would take them and score the item wrong.
 */
export function extractFlexible(text: string): Extraction {
  const n = lastNumber(stripThinking(text));
  return n === null ? { answer: null, rule: 'none' } : { answer: n, rule: 'flexible-extract' };
}

function lastNumber(t: string): string | null {
  let found: string | null = null;
  for (const m of t.matchAll(/(-?[$0-9.,]{2,})|(-?[0-9]+)/g)) if (/\d/.test(m[0])) found = m[0];
  return found;
}

/** GSM8K equality: numeric (relative tolerance 1e-4) when both parse, else normalised text. */
export function numericEqual(answer: string | null, gold: string): boolean {
  if (answer === null) return false;
  const a = numberValue(answer);
  const g = numberValue(gold);
  if (a !== null && g !== null) {
    if (a === g) return true;
    return Math.abs(a - g) <= 1e-4 * Math.max(Math.abs(a), Math.abs(g));
  }
  const norm = (s: string): string => s.replace(/[,$\s]/g, '').replace(/\.$/, '').toLowerCase();
  return norm(answer) === norm(gold);
}
