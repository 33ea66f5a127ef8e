import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { JsonlSink } from '../engine/record-sink.js';
import { readJsonlFile } from '../jsonl/read-jsonl.js';
import { UsageError } from './usage-error.js';
import { say } from './output.js';

export const ARENA_RUN_SCHEMA = 'evalperf.arena-run/1';

/**
 * The objects of a cache file (answers/<name>.jsonl, judgments.jsonl). A line that is not a
 * whole JSON object, cut last line or not (a crash mid-write; a resume starts a fresh line
 * after it), is skipped with a warning: its request is simply made again.
 */
export function readCache(path: string): Record<string, unknown>[] {
  const skipped = (line: number): void => say(`warning: ${join(basename(dirname(path)), basename(path))} line ${line} is not a complete JSON object: skipped (asked again)`);
  const out: Record<string, unknown>[] = [];
  for (const { line, value } of readJsonlFile(path, { onCut: skipped, onBadLine: skipped })) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) out.push(value as Record<string, unknown>);
    else skipped(line);
  }
  return out;
}

/** Appends to a cache file (JsonlSink first ends a line a crash cut short, so the next line stays whole). */
export function openCache(path: string): JsonlSink {
  mkdirSync(dirname(path), { recursive: true });
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
