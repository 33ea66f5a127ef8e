/**
 * Code from a chat reply (HumanEval): the first fenced block tagged python (or untagged), else
 * the raw reply. The program is `prompt + completion + test`, so a completion that is a whole
 * function (usual for chat models) re-defines the prompt's stub, and a bare body completes it;
 * unlike simple-evals we do not cut the text before the first `:\n    `, which breaks code that
 * starts with imports or a helper.
 */
import type { Extraction } from '../types.js';
import { stripThinking } from './common.js';

const FENCE = /```[ \t]*([\w.+-]*)[^\n]*\n([\s\S]*?)(```|$)/g;
const PYTHON = new Set(['', 'python', 'python3', 'py', 'python3.11', 'py3']);

export function extractCode(text: string): Extraction {
  const t = stripThinking(text);
  if (t.trim() === '') return { answer: null, rule: 'empty' };
  for (const m of t.matchAll(FENCE)) {
    if (!PYTHON.has(m[1]!.toLowerCase())) continue;
    const body = m[2]!;
    if (body.trim() === '') continue;
    return { answer: body, rule: m[3] === '```' ? 'fenced-block' : 'fenced-block-unclosed' };
  }
  return { answer: t, rule: 'raw-reply' };
}

/** HumanEval's check program, as the official execution.py builds it. */
export function humanevalProgram(prompt: string, completion: string, test: string, entryPoint: string): string {
  return `${prompt}${completion}\n${test}\ncheck(${entryPoint})`;
}
