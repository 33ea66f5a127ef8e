import { createHash } from 'node:crypto';

/**
 * Arena questions: JSONL, one object per line with `question` (required), and optionally
 * `reference` (a reference answer shown to the judge), `category` and `id`.
 */
export interface Question {
  /** The line's `id`, or a hash of the question text: stable when lines are added or moved, so caches survive edits. */
  id: string;
  question: string;
  reference: string | null;
  category: string | null;
}

const optionalText = (v: unknown, key: string, where: string): string | null => {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new Error(`${where}: "${key}" must be a string`);
  return v.trim() === '' ? null : v;
};

export function parseQuestions(text: string, file: string): Question[] {
  const out: Question[] = [];
  const seen = new Map<string, number>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file} line ${i + 1}`;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      throw new Error(`${where} is not valid JSON (${(e as Error).message})`);
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${where}: expected an object like {"question": "..."}`);
    const o = v as Record<string, unknown>;
    if (typeof o.question !== 'string' || o.question.trim() === '') throw new Error(`${where}: no "question" text`);
    if (o.id !== undefined && typeof o.id !== 'string' && typeof o.id !== 'number') throw new Error(`${where}: "id" must be a string or a number`);
    const id = o.id !== undefined ? String(o.id) : `q-${createHash('sha256').update(o.question).digest('hex').slice(0, 12)}`;
    const first = seen.get(id);
    if (first !== undefined) throw new Error(`${where} repeats ${o.id !== undefined ? `the id ${JSON.stringify(id)}` : 'the question'} of line ${first}`);
    seen.set(id, i + 1);
    out.push({ id, question: o.question, reference: optionalText(o.reference, 'reference', where), category: optionalText(o.category, 'category', where) });
  });
  if (out.length === 0) throw new Error(`${file} has no questions: one JSON object per line, e.g. {"question": "..."}`);
  return out;
}
