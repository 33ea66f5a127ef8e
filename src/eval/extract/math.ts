/**
 * MATH answers. Extraction: the last `\boxed{}` (brace-matched), else the last
 * `Answer: ...` line (simple-evals' pattern). Checker "strip_string+numeric": lm-eval's
 * hendrycks_math `strip_string` normalisation on both sides and string equality (is_equiv), then,
 * if that fails, numeric equality of plain numbers, fractions and `a/b` within 1e-6 relative.
 * No symbolic algebra and no judge model: `x^2+2x+1` vs `(x+1)^2` is wrong here.
 */
import type { Extraction } from '../types.js';
import { lastBoxed, stripThinking } from './common.js';

export const MATH_CHECKER = 'strip_string+numeric';

export function extractMathAnswer(text: string): Extraction {
  const t = stripThinking(text);
  const boxed = lastBoxed(t);
  if (boxed !== null) return { answer: boxed.trim(), rule: 'boxed' };
  const lines = [...t.matchAll(/answer\s*:\s*([^\n]+)/gi)];
  if (lines.length > 0) {
    const a = lines[lines.length - 1]![1]!.trim().replace(/^\$+|\$+\.?$/g, '').replace(/\.$/, '').trim();
    if (a !== '') return { answer: a, rule: 'answer-line' };
  }
  return { answer: null, rule: t.trim() === '' ? 'empty' : 'none' };
}

/** Gold of full MATH: the last boxed expression of the reference solution. */
export function mathGoldFromSolution(solution: string): string | null {
  return lastBoxed(solution);
}

export function mathEquivalent(answer: string | null, gold: string): boolean {
  if (answer === null) return false;
  let a: string;
  let g: string;
  try {
    a = stripString(answer);
    g = stripString(gold);
  } catch {
    // lm-eval's is_equiv: when normalisation itself fails, compare the raw strings.
    return answer === gold;
  }
  if (a === g) return true;
  const x = latexNumber(a);
  const y = latexNumber(g);
  return x !== null && y !== null && Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(x), Math.abs(y));
}

/** Plain numbers (thousands separators allowed), `\frac{a}{b}`, `a/b`; otherwise null. */
function latexNumber(s: string): number | null {
  const t = s.replace(/\{,\}/g, '').replace(/^(-?\d{1,3})((?:,\d{3})+)(\.\d+)?$/, (_, a: string, b: string, c = '') => a + b.replace(/,/g, '') + c);
  if (/^-?(?:\d+\.?\d*|\.\d+)$/.test(t)) return Number(t);
  const f = /^(-?)\\frac\{(-?\d+(?:\.\d+)?)\}\{(-?\d+(?:\.\d+)?)\}$/.exec(t) ?? /^(-?)(-?\d+)\/(\d+)$/.exec(t);
  if (!f) return null;
  const v = Number(f[2]) / Number(f[3]);
  return Number.isFinite(v) ? (f[1] === '-' ? -v : v) : null;
}

// ---- lm-eval hendrycks_math utils.strip_string, ported line by line (throws where Python would) ----

export function stripString(input: string): string {
  let s = input.replace(/\n/g, '');
  s = s.split('\\!').join('');
  s = s.split('\\\\').join('\\');
  s = s.split('tfrac').join('frac').split('dfrac').join('frac');
  s = s.split('\\left').join('').split('\\right').join('');
  s = s.split('^{\\circ}').join('').split('^\\circ').join('');
  s = s.split('\\$').join('');
  s = removeRightUnits(s);
  s = s.split('\\%').join('');
  s = s.split(' .').join(' 0.').split('{.').join('{0.');
  if (s.length === 0) return s;
  if (s[0] === '.') s = '0' + s;
  const eq = s.split('=');
  if (eq.length === 2 && eq[0]!.length <= 2) s = eq[1]!;
  s = fixSqrt(s);
  s = s.split(' ').join('');
  s = fixFracs(s);
  if (s === '0.5') s = '\\frac{1}{2}';
  return fixASlashB(s);
}

function removeRightUnits(s: string): string {
  if (!s.includes('\\text{ ')) return s;
  const parts = s.split('\\text{ ');
  if (parts.length !== 2) throw new Error('strip_string: several \\text{ units');
  return parts[0]!;
}

function fixSqrt(s: string): string {
  if (!s.includes('\\sqrt')) return s;
  const parts = s.split('\\sqrt');
  let out = parts[0]!;
  for (const p of parts.slice(1)) {
    if (p.length === 0) throw new Error('strip_string: \\sqrt at the end');
    out += p[0] !== '{' ? `\\sqrt{${p[0]}}${p.slice(1)}` : `\\sqrt${p}`;
  }
  return out;
}

function fixFracs(s: string): string {
  const parts = s.split('\\frac');
  let out = parts[0]!;
  for (const p of parts.slice(1)) {
    out += '\\frac';
    if (p.length === 0) throw new Error('strip_string: \\frac at the end');
    if (p[0] === '{') {
      out += p;
      continue;
    }
    if (p.length < 2) return s;
    const a = p[0]!;
    const b = p[1]!;
    out += b !== '{' ? `{${a}}{${b}}${p.slice(2)}` : `{${a}}${b}${p.slice(2)}`;
  }
  return out;
}

function fixASlashB(s: string): string {
  const parts = s.split('/');
  if (parts.length !== 2) return s;
  const [a, b] = parts as [string, string];
  // Python int() then `string == f"{a}/{b}"`: only canonical integers qualify.
  if (!/^-?\d+$/.test(a) || !/^-?\d+$/.test(b)) return s;
  if (String(parseInt(a, 10)) !== a || String(parseInt(b, 10)) !== b) return s;
  return `\\frac{${a}}{${b}}`;
}
