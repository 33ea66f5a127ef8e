import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { BadInputError } from './input-error.js';

/**
 * Streams a JSONL file one parsed line at a time, so a file of a million requests never sits
 * in memory. Blank lines are skipped. A last line without its newline that does not parse is
 * what a crash mid-write leaves: it is skipped with a warning. Any other line that does not
 * parse is an error naming the file and line. Lines that `skip` picks by their text are counted
 * and not parsed (JSON.parse is most of the cost of a big file).
 */
export async function* readJsonl(path: string, warn: (msg: string) => void, skip?: (text: string) => boolean): AsyncGenerator<{ line: number; value: unknown }> {
  let rest = '';
  let line = 0;
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
      line++;
      const raw = text.slice(start, nl);
      start = nl + 1;
      if (skip?.(raw)) continue;
      const value = parseLine(raw, path, line);
      if (value !== undefined) yield { line, value };
    }
    rest = text.slice(start);
  }
  if (rest.trim() === '') return;
  line++;
  let value: unknown;
  try {
    value = JSON.parse(rest);
  } catch {
    warn(`${basename(path)} line ${line} is cut short (the run stopped mid-write): skipped`);
    return;
  }
  yield { line, value };
}

function parseLine(text: string, path: string, line: number): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BadInputError(`${path} line ${line} is not valid JSON (${(e as Error).message}): fix or delete that line`);
  }
}
