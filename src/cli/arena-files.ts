import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { JsonlSink } from '../engine/record-sink.js';
import { UsageError } from './usage-error.js';
import { say } from './output.js';

export const ARENA_RUN_SCHEMA = 'evalperf.arena-run/1';

/**
 * The objects of a cache file (answers/<name>.jsonl, judgments.jsonl). A line that does not
 * parse (a crash mid-write) is skipped with a warning: its request is simply made again.
 */
export function readCache(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) return [];
  const out: Record<string, unknown>[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        const v = JSON.parse(line) as unknown;
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) return out.push(v as Record<string, unknown>);
      } catch {
        // reported below
      }
      say(`warning: ${join(basename(dirname(path)), basename(path))} line ${i + 1} is not a complete JSON object: skipped (asked again)`);
    });
  return out;
}

/** Appends to a cache file; a line cut short by a crash is first closed, so the next line stays whole. */
export function openCache(path: string): JsonlSink {
  mkdirSync(dirname(path), { recursive: true });
  if (existsSync(path)) {
    const text = readFileSync(path, 'utf8');
    if (text.length > 0 && !text.endsWith('\n')) appendFileSync(path, '\n');
  }
  return new JsonlSink(path);
}

/** The folder of a resumed arena: it must be one (its run.json says so). */
export function checkResumeDir(dir: string): void {
  const path = join(dir, 'run.json');
  let schema: unknown;
  try {
    schema = (JSON.parse(readFileSync(path, 'utf8')) as { schema?: unknown }).schema;
  } catch {
    throw new UsageError(`--resume ${dir}: not an arena run folder (no readable run.json there)`);
  }
  if (schema !== ARENA_RUN_SCHEMA) throw new UsageError(`--resume ${dir}: run.json is ${String(schema)}, not an arena run (${ARENA_RUN_SCHEMA})`);
}

export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value, null, 2) + '\n');
}
