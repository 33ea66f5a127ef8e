import { applyRunFields, buildRequestBody, type RequestShape } from './request-body.js';

/**
 * A request body with holes for the prompt and max_tokens, built once by buildRequestBody and
 * then filled per request by joining strings: no object and no JSON.stringify over the prompt
 * per request. It is only used where filling it gives exactly the body buildRequestBody would
 * have built, which is checked once when the template is made.
 */
export interface BodyTemplate {
  /** Literal pieces; between two pieces goes the hole of the same index in `holes`. */
  readonly pieces: readonly string[];
  readonly holes: readonly ('prompt' | 'max')[];
}

// What stands in for the holes while the template is built. The prompt mark is escaped by
// JSON.stringify into a form no real text takes; the max mark is a number no body carries.
const PROMPT_MARK = '\u0001\u0002evalperf-prompt\u0002\u0001';
const PROMPT_HOLE = JSON.stringify(PROMPT_MARK).slice(1, -1);
const MAX_MARK = 9_007_199_254_740_881;
const MAX_HOLE = String(MAX_MARK);

const cache = new WeakMap<RequestShape, Map<string, BodyTemplate | null>>();

/**
 * The template of a text-only request of `shape` (chat, completions, embeddings), or null where
 * one cannot stand in for buildRequestBody. `hasMax`: whether requests carry a max_tokens.
 */
export function bodyTemplate(shape: RequestShape, hasMax: boolean, ignoreEos: boolean): BodyTemplate | null {
  let byFlags = cache.get(shape);
  if (byFlags === undefined) cache.set(shape, (byFlags = new Map()));
  const key = `${hasMax}${ignoreEos}`;
  let t = byFlags.get(key);
  if (t === undefined) byFlags.set(key, (t = makeTemplate(shape, hasMax, ignoreEos)));
  return t;
}

function makeTemplate(shape: RequestShape, hasMax: boolean, ignoreEos: boolean): BodyTemplate | null {
  if (shape.api === 'rerank') return null;
  const t = split(buildRequestBody(shape, PROMPT_MARK, undefined, hasMax ? MAX_MARK : null, ignoreEos), false);
  // Trust it only if it rebuilds buildRequestBody's body for a prompt that needs escaping.
  const probeMax = hasMax ? 7 : null;
  return fillBody(t, JSON.stringify(PROBE).slice(1, -1), probeMax ?? 0) === buildRequestBody(shape, PROBE, undefined, probeMax, ignoreEos) ? t : null;
}

/**
 * The template of a conversation's requests: `base` (a dataset line's other fields) with the
 * whole message history in one hole, filled with the history's JSON array, which the caller
 * keeps up to date one message at a time (a turn then costs its own message, not the history).
 */
export function messagesTemplate(shape: RequestShape, base: Record<string, unknown>, hasMax: boolean, ignoreEos: boolean): BodyTemplate | null {
  const build = (messages: unknown, max: number | null) => applyRunFields({ ...base, messages }, shape, max, ignoreEos);
  const t = split(build(PROMPT_MARK, hasMax ? MAX_MARK : null), true);
  const probe = [{ role: 'system', content: PROBE }, { role: 'user', content: 'q' }];
  const probeMax = hasMax ? 7 : null;
  return fillBody(t, JSON.stringify(probe), probeMax ?? 0) === build(probe, probeMax) ? t : null;
}

/** A prompt that needs escaping, to check a template against the body builder. */
const PROBE = 'a "quoted" \\ line\nand é';

/**
 * Cuts a body built with the marks into pieces and holes. `whole`: the prompt hole takes a JSON
 * value of its own (the quotes around the mark go with it), else text inside the quotes.
 */
function split(marked: string, whole: boolean): BodyTemplate {
  const promptHole = whole ? `"${PROMPT_HOLE}"` : PROMPT_HOLE;
  const pieces: string[] = [];
  const holes: ('prompt' | 'max')[] = [];
  let at = 0;
  for (;;) {
    const p = marked.indexOf(promptHole, at);
    const m = marked.indexOf(MAX_HOLE, at);
    if (p < 0 && m < 0) break;
    const prompt = p >= 0 && (m < 0 || p < m);
    const hole = prompt ? p : m;
    pieces.push(marked.slice(at, hole));
    holes.push(prompt ? 'prompt' : 'max');
    at = hole + (prompt ? promptHole.length : MAX_HOLE.length);
  }
  pieces.push(marked.slice(at));
  return { pieces, holes };
}

/** The body for a prompt already escaped for a JSON string (no quotes) and its max_tokens. */
export function fillBody(t: BodyTemplate, promptJson: string, max: number): string {
  let out = t.pieces[0]!;
  for (let i = 0; i < t.holes.length; i++) out += (t.holes[i] === 'prompt' ? promptJson : String(max)) + t.pieces[i + 1]!;
  return out;
}
