import { createReadStream, existsSync, readFileSync } from 'node:fs';

/**
 * Reads the JSONL files evalperf appends to (requests.jsonl, items.jsonl, the arena caches),
 * which a crash can leave with a last line cut mid-write. Whole lines and the tail are told
 * apart here, once; what a line that does not parse means is the caller's to say, because it
 * differs: a report refuses a bad line in the middle, while a resumed cache just asks its
 * request again.
 */
export interface JsonlLine {
  /** 1-based, blank lines counted, as an editor shows it. */
  line: number;
  value: unknown;
}

export interface JsonlPolicy {
  /** A last line without its newline that does not parse: what a crash mid-write leaves. It is skipped. */
  onCut(line: number): void;
  /** Any other line that does not parse: throw to stop the read, or return to skip the line. */
  onBadLine(line: number, error: Error): void;
  /** Whole lines picked by their text are counted but never parsed (JSON.parse is most of the cost of a big file). */
  skip?: (text: string) => boolean;
}

/** Streams a file one parsed line at a time, so a file of a million requests never sits in memory. */
export async function* streamJsonl(path: string, policy: JsonlPolicy): AsyncGenerator<JsonlLine> {
  const lines = new JsonlLines(policy);
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 }) as AsyncIterable<string>) {
    yield* lines.push(chunk);
  }
  yield* lines.end();
}

/** The parsed lines of a small file, read at once; a file that is not there has none. */
export function readJsonlFile(path: string, policy: JsonlPolicy): JsonlLine[] {
  if (!existsSync(path)) return [];
  const lines = new JsonlLines(policy);
  return [...lines.push(readFileSync(path, 'utf8')), ...lines.end()];
}

/** Text in, parsed lines out, in chunks cut anywhere (a chunk may end mid-line). */
class JsonlLines {
  private rest = '';
  private line = 0;

  constructor(private readonly policy: JsonlPolicy) {}

  *push(chunk: string): Generator<JsonlLine> {
    const text = this.rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      this.line++;
      const raw = text.slice(start, nl);
      start = nl + 1;
      if (this.policy.skip?.(raw) || raw.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (e) {
        this.policy.onBadLine(this.line, e as Error);
        continue;
      }
      yield { line: this.line, value };
    }
    this.rest = text.slice(start);
  }

  *end(): Generator<JsonlLine> {
    const tail = this.rest;
    this.rest = '';
    if (tail.trim() === '') return;
    this.line++;
    let value: unknown;
    try {
      value = JSON.parse(tail);
    } catch {
      this.policy.onCut(this.line);
      return;
    }
    yield { line: this.line, value };
  }
}
