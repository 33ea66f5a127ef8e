import { basename } from 'node:path';
import { streamJsonl, type JsonlLine } from '../jsonl/read-jsonl.js';
import { BadInputError } from './input-error.js';

/**
 * A run folder's JSONL file (requests.jsonl, intervals.jsonl), streamed. A last line cut by a
 * crash mid-write is skipped with a warning; any other line that does not parse is an error
 * naming the file and line, since the run wrote whole lines and a report must not quietly drop
 * one. Lines that `skip` picks by their text are counted and not parsed.
 */
export function readJsonl(path: string, warn: (msg: string) => void, skip?: (text: string) => boolean): AsyncGenerator<JsonlLine> {
  return streamJsonl(path, {
    onCut: (line) => warn(`${basename(path)} line ${line} is cut short (the run stopped mid-write): skipped`),
    onBadLine: (line, e) => {
      throw new BadInputError(`${path} line ${line} is not valid JSON (${e.message}): fix or delete that line`);
    },
    skip,
  });
}
