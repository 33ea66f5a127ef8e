import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { recordToJsonLine, type RequestRecord } from '../metrics/record.js';

/**
 * Appends lines to a JSONL file as they come, one write per batch of whole lines, so a run
 * killed at any moment leaves valid JSONL up to its last complete line and nothing is kept in
 * memory. Synchronous on purpose: it runs on the main thread, never in a load worker, and keeps
 * lines in order without a queue.
 */
export class JsonlSink {
  private fd: number | null;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a+');
    // Appending to a file a crash left mid-line (a resume): end that line first, so the cut line
    // stays one bad line instead of swallowing the next good one.
    const size = fstatSync(this.fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(this.fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) writeSync(this.fd, '\n');
    }
  }

  writeLines(lines: readonly string[]): void {
    if (this.fd === null || lines.length === 0) return;
    writeSync(this.fd, lines.join('\n') + '\n');
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

export function writeRecords(sink: JsonlSink, records: readonly RequestRecord[], runStart: number): void {
  if (records.length > 0) sink.writeLines(records.map((r) => recordToJsonLine(r, runStart)));
}
