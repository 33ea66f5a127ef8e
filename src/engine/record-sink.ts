import { closeSync, openSync, writeSync } from 'node:fs';
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
    this.fd = openSync(path, 'a');
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
