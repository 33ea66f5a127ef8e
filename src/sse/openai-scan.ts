/**
 * The byte scanner of the OpenAI chunk fast path (openai-fast.ts): decodes one SSE `data`
 * payload straight from the bytes of its line, without JSON.parse, when it has the common
 * streamed-chunk shape; anything else goes to decodeOpenAiEvent (the reference). Profiles put JSON.parse at over half of the client's per-event cost: it builds
 * every object, key and string of a chunk when we need a few lengths.
 *
 * Contract: for any input, decodeOpenAiEventBytes(bytes) deep-equals
 * decodeOpenAiEvent(utf8(bytes)). So the scanner only answers when it is certain:
 * - it validates the whole payload as JSON (strings, escapes, numbers, literals, nesting) and
 *   as well-formed UTF-8; a payload JSON.parse would reject is never answered here;
 * - it handles `choices[*].delta.{content,reasoning_content,reasoning}`, `choices[*].text`,
 *   `finish_reason` and usage's two counts (plain integers), and skips (after validating) every
 *   other field;
 * - it declines (null, so the reference decides) on a non-null timings or error, a usage that
 *   is not an object or null or whose counts are not plain integers, an
 *   `object` of "error" (or any escaped `object`), an escaped key, a repeated key we read
 *   (JSON.parse keeps the last), choices that is neither an array nor null, deep nesting.
 * Those are rare chunks or errors, so the slow path costs little where it runs.
 * Text lengths are UTF-16 code units, as String#length counts them in the reference.
 */
import type { DecodedEvent } from './openai-delta.js';
import { NULL, ascii, colon, firstMember, lastString, lastStringIs, lastStringValue, literal, nextMember, scanString, skipValue, ws } from './json-scan.js';

const QUOTE = 0x22;
const K_CHOICES = ascii('choices');
const K_USAGE = ascii('usage');
const K_TIMINGS = ascii('timings');
const K_ERROR = ascii('error');
const K_OBJECT = ascii('object');
const K_DELTA = ascii('delta');
const K_TEXT = ascii('text');
const K_FINISH = ascii('finish_reason');
const K_CONTENT = ascii('content');
const K_REASONING_CONTENT = ascii('reasoning_content');
const K_REASONING = ascii('reasoning');
const K_PROMPT_TOKENS = ascii('prompt_tokens');
const K_COMPLETION_TOKENS = ascii('completion_tokens');

// The chunk being scanned. Decoding is synchronous, so one set of module state serves every
// stream; scanOpenAiChunk resets it.
let collect = false;
let textLength = 0;
let text = '';
let finishReason: string | undefined;
let deltaContent = '';
/** usage's two counts, NaN until read (an event has usage only when both are). */
let promptTokens = NaN;
let completionTokens = NaN;
/**
 * Text-bearing string values of the last chunk scanned, and the last one's quotes [textQ0,
 * textQ1): what the stream decoder (openai-fast.ts) needs to keep a chunk as a template.
 */
export let textStrings = 0;
export let textQ0 = 0;
export let textQ1 = 0;

function textString(b: Buffer, p: number, e: number): number {
  const q0 = p;
  if ((p = scanString(b, p, e)) < 0) return -1;
  textLength += lastString.units;
  textStrings++;
  textQ0 = q0;
  textQ1 = p;
  return p;
}

/** The whole payload: one object, nothing but whitespace around it. */
function topObject(b: Buffer, p: number, e: number): boolean {
  p = ws(b, p, e);
  if (p >= e || b[p] !== 0x7b) return false;
  p = firstMember(b, p + 1, e);
  let seenChoices = false;
  let seenUsage = false;
  while (p >= 0 && b[p] !== 0x7d) {
    // Escaped names decline: one could spell a field we read.
    if ((p = scanString(b, p, e)) < 0 || lastString.esc) return false;
    const k = lastStringIs(b, K_CHOICES) ? 1 : lastStringIs(b, K_TIMINGS) || lastStringIs(b, K_ERROR) ? 2 : lastStringIs(b, K_OBJECT) ? 3 : lastStringIs(b, K_USAGE) ? 4 : 0;
    if ((p = colon(b, p, e)) < 0) return false;
    if (k === 1) {
      if (seenChoices) return false; // JSON.parse keeps the last one
      seenChoices = true;
      p = choices(b, p, e);
    } else if (k === 4) {
      if (seenUsage) return false;
      seenUsage = true;
      p = usage(b, p, e);
    } else if (k === 2) {
      p = literal(b, p, e, NULL); // anything but null: the reference reads it
    } else if (k === 3 && b[p] === QUOTE) {
      // `"object":"error"` is vLLM's error shape; an escaped value might spell it.
      if ((p = scanString(b, p, e)) < 0 || lastString.esc || lastStringIs(b, K_ERROR)) return false;
    } else p = skipValue(b, p, e, 1);
    if (p < 0) return false;
    p = nextMember(b, p, e);
  }
  return p >= 0 && ws(b, p + 1, e) === e;
}

/**
 * usage: null (as if absent) or an object whose prompt_tokens and completion_tokens are plain
 * non-negative integers (anything else there declines: the reference decides), other fields
 * skipped. Without both counts the event has no usage, as in the reference.
 */
function usage(b: Buffer, p: number, e: number): number {
  if (b[p] === 0x6e) return literal(b, p, e, NULL);
  if (b[p] !== 0x7b) return -1;
  let seen = 0;
  p = firstMember(b, p + 1, e);
  while (p >= 0 && b[p] !== 0x7d) {
    if ((p = scanString(b, p, e)) < 0 || lastString.esc) return -1;
    const bit = lastStringIs(b, K_PROMPT_TOKENS) ? 1 : lastStringIs(b, K_COMPLETION_TOKENS) ? 2 : 0;
    if (bit & seen) return -1;
    seen |= bit;
    if ((p = colon(b, p, e)) < 0) return -1;
    if (bit === 0) p = skipValue(b, p, e, 2);
    else {
      const q = p;
      let n = 0;
      while (p < e && p - q < 15 && b[p]! >= 0x30 && b[p]! <= 0x39) n = n * 10 + b[p++]! - 0x30;
      // A plain integer: no leading zero (unless 0 itself), then not a fraction, exponent or more digits.
      if (p === q || (b[q] === 0x30 && p - q > 1) || (p < e && (b[p] === 0x2e || b[p] === 0x65 || b[p] === 0x45 || (b[p]! >= 0x30 && b[p]! <= 0x39)))) return -1;
      if (bit === 1) promptTokens = n;
      else completionTokens = n;
    }
    if (p < 0) return -1;
    p = nextMember(b, p, e);
  }
  return p < 0 ? -1 : p + 1;
}

/** choices: null (as if absent) or an array; object elements are choices, others skipped. */
function choices(b: Buffer, p: number, e: number): number {
  if (b[p] === 0x6e) return literal(b, p, e, NULL);
  if (b[p] !== 0x5b) return -1; // the reference reports "choices is not an array"
  p = ws(b, p + 1, e);
  if (p < e && b[p] === 0x5d) return p + 1;
  for (;;) {
    if (p >= e) return -1;
    p = b[p] === 0x7b ? choice(b, p, e) : skipValue(b, p, e, 2);
    if (p < 0) return -1;
    p = ws(b, p, e);
    if (p >= e) return -1;
    if (b[p] === 0x5d) return p + 1;
    if (b[p] !== 0x2c) return -1;
    p = ws(b, p + 1, e);
  }
}

function choice(b: Buffer, p: number, e: number): number {
  let seen = 0; // delta, text, finish_reason: a repeat declines (JSON.parse keeps the last)
  let content = '';
  let txt = '';
  p = firstMember(b, p + 1, e);
  while (p >= 0 && b[p] !== 0x7d) {
    if ((p = scanString(b, p, e)) < 0 || lastString.esc) return -1;
    const bit = lastStringIs(b, K_DELTA) ? 1 : lastStringIs(b, K_TEXT) ? 2 : lastStringIs(b, K_FINISH) ? 4 : 0;
    if (bit & seen) return -1;
    seen |= bit;
    if ((p = colon(b, p, e)) < 0) return -1;
    const c = b[p];
    if (bit === 1 && c === 0x7b) {
      p = delta(b, p, e);
      content = deltaContent;
    } else if (bit === 2 && c === QUOTE) {
      // /v1/completions streams put the text on the choice itself.
      if ((p = textString(b, p, e)) >= 0 && collect) txt = lastStringValue(b);
    } else if (bit === 4 && c === QUOTE) {
      if ((p = scanString(b, p, e)) >= 0 && finishReason === undefined) finishReason = lastStringValue(b);
    } else p = skipValue(b, p, e, 3); // non-strings carry no text, as in the reference
    if (p < 0) return -1;
    p = nextMember(b, p, e);
  }
  if (p < 0) return -1;
  // The reference appends delta.content before the choice's text, choice by choice.
  if (collect) text += content + txt;
  return p + 1;
}

/** delta: content (the reply), reasoning_content and reasoning (counted, not collected). */
function delta(b: Buffer, p: number, e: number): number {
  let seen = 0;
  let content = '';
  p = firstMember(b, p + 1, e);
  while (p >= 0 && b[p] !== 0x7d) {
    if ((p = scanString(b, p, e)) < 0 || lastString.esc) return -1;
    const bit = lastStringIs(b, K_CONTENT) ? 1 : lastStringIs(b, K_REASONING_CONTENT) ? 2 : lastStringIs(b, K_REASONING) ? 4 : 0;
    if (bit & seen) return -1;
    seen |= bit;
    if ((p = colon(b, p, e)) < 0) return -1;
    if (bit !== 0 && b[p] === QUOTE) {
      if ((p = textString(b, p, e)) >= 0 && bit === 1 && collect) content = lastStringValue(b);
    } else p = skipValue(b, p, e, 4);
    if (p < 0) return -1;
    p = nextMember(b, p, e);
  }
  if (p < 0) return -1;
  deltaContent = content;
  return p + 1;
}

/** The fast path alone: the decoded event, or null where it declines (exported for tests). */
export function scanOpenAiChunk(b: Buffer, start: number, end: number, collectText: boolean): DecodedEvent | null {
  collect = collectText;
  textLength = 0;
  text = '';
  finishReason = undefined;
  textStrings = 0;
  promptTokens = NaN;
  completionTokens = NaN;
  if (!topObject(b, start, end)) return null;
  const ev: DecodedEvent = { kind: 'chunk', textLength, text: collectText ? text : undefined };
  if (!Number.isNaN(promptTokens) && !Number.isNaN(completionTokens)) ev.usage = { promptTokens, completionTokens };
  if (finishReason !== undefined) ev.finishReason = finishReason;
  return ev;
}
