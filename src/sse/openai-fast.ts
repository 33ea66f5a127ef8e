/**
 * The OpenAI chunk fast path: SSE `data` payloads decoded from their bytes by the scanner
 * (openai-scan.ts, whose header states the contract with the reference decoder), and per stream
 * the template that skips most of the scan for repeated chunks. Anything the scanner declines
 * goes to decodeOpenAiEvent (the reference).
 */
import { decodeOpenAiEvent, type DecodedEvent } from './openai-delta.js';
import { ascii, lastString, scanString } from './json-scan.js';
import { scanOpenAiChunk, textQ0, textQ1, textStrings } from './openai-scan.js';

export { scanOpenAiChunk } from './openai-scan.js';

const QUOTE = 0x22;
const DONE = ascii('[DONE]');

function isDone(b: Buffer, s: number, e: number): boolean {
  if (e - s !== DONE.length) return false;
  for (let i = 0; i < DONE.length; i++) if (b[s + i] !== DONE[i]) return false;
  return true;
}

/** decodeOpenAiEvent for a payload given as the bytes b[start, end) (UTF-8). */
export function decodeOpenAiEventBytes(b: Buffer, start: number, end: number, collectText: boolean): DecodedEvent {
  if (isDone(b, start, end)) return { kind: 'done', textLength: 0, text: collectText ? '' : undefined };
  return scanOpenAiChunk(b, start, end, collectText) ?? decodeOpenAiEvent(b.toString('utf8', start, end), collectText);
}

/**
 * decodeOpenAiEventBytes for the events of one stream, faster on repeats. A stream's content
 * chunks differ only in their text: vLLM, OpenAI, SGLang, TGI and llama.cpp repeat the id,
 * created, model and every other byte. So a chunk that scanned fully, with one text string and
 * no finish_reason, is kept as a template (its bytes before and after that string); a chunk
 * equal to the template outside a valid JSON string at the same place has that string's length
 * and nothing else, and the rest of it is compared (memcmp) rather than scanned. Exact: a
 * string value swapped for another string keeps the document valid and every other field the
 * same. Not used when collecting text (accuracy runs), which needs the string's value.
 */
export class OpenAiStreamDecoder {
  /** The template's bytes (kept across streams, grown as needed) and whether it holds one now. */
  private tpl: Buffer | null = null;
  private hasTemplate = false;
  private prefixLen = 0;
  private suffixLen = 0;
  /**
   * The events a template match and [DONE] decode to, reused: nearly every content event is a
   * match, and the caller reads an event only while handling it (no object per token).
   */
  private readonly hit: DecodedEvent = { kind: 'chunk', textLength: 0, text: undefined };
  private readonly done: DecodedEvent = { kind: 'done', textLength: 0, text: undefined };
  private collectText = false;

  constructor(collectText: boolean) {
    this.reset(collectText);
  }

  /** Bytes of the template buffer. */
  get capacity(): number {
    return this.tpl?.length ?? 0;
  }

  /** A new stream: its chunks will differ from this one's (id, created), so the template goes. */
  reset(collectText: boolean): void {
    this.collectText = collectText;
    this.done.text = collectText ? '' : undefined;
    this.hasTemplate = false;
  }

  decode(b: Buffer, s: number, e: number): DecodedEvent {
    if (this.hasTemplate) {
      const units = this.matchTemplate(this.tpl!, b, s, e);
      if (units >= 0) {
        this.hit.textLength = units;
        return this.hit;
      }
    }
    if (isDone(b, s, e)) return this.done;
    const ev = scanOpenAiChunk(b, s, e, this.collectText);
    if (ev === null) return decodeOpenAiEvent(b.toString('utf8', s, e), this.collectText);
    // A chunk with usage is no template: a match would return the text without the usage.
    if (!this.collectText && textStrings === 1 && ev.finishReason === undefined && ev.usage === undefined) this.keepTemplate(b, s, e);
    return ev;
  }

  /** The text's UTF-16 length when b[s, e) matches the template, else -1. */
  private matchTemplate(t: Buffer, b: Buffer, s: number, e: number): number {
    const lp = this.prefixLen;
    const ls = this.suffixLen;
    if (e - s < lp + 2 + ls || b[s + lp] !== QUOTE) return -1;
    if (b.compare(t, 0, lp, s, s + lp) !== 0) return -1;
    const p = scanString(b, s + lp, e);
    if (p < 0 || e - p !== ls) return -1;
    for (let i = 0; i < ls; i++) if (b[p + i] !== t[lp + i]) return -1;
    return lastString.units;
  }

  private keepTemplate(b: Buffer, s: number, e: number): void {
    const lp = textQ0 - s;
    const ls = e - textQ1;
    if (this.tpl === null || this.tpl.length < lp + ls) this.tpl = Buffer.allocUnsafe(Math.max(256, lp + ls));
    b.copy(this.tpl, 0, s, textQ0);
    b.copy(this.tpl, lp, textQ1, e);
    this.prefixLen = lp;
    this.suffixLen = ls;
    this.hasTemplate = true;
  }
}
