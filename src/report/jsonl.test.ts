import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readJsonl } from './jsonl.js';

const root = mkdtempSync(join(tmpdir(), 'evalperf-jsonl-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function read(text: string): Promise<{ lines: [number, unknown][]; warnings: string[] }> {
  const path = join(root, 'x.jsonl');
  writeFileSync(path, text);
  const warnings: string[] = [];
  const lines: [number, unknown][] = [];
  for await (const { line, value } of readJsonl(path, (w) => warnings.push(w))) lines.push([line, value]);
  return { lines, warnings };
}

describe('readJsonl', () => {
  it.each([
    ['whole lines', '{"a":1}\n{"a":2}\n', [[1, { a: 1 }], [2, { a: 2 }]], 0],
    ['a last line without its newline that parses', '{"a":1}\n{"a":2}', [[1, { a: 1 }], [2, { a: 2 }]], 0],
    ['blank lines (counted, skipped)', '{"a":1}\n\n{"a":2}\n', [[1, { a: 1 }], [3, { a: 2 }]], 0],
    ['a last line cut mid-write', '{"a":1}\n{"a":', [[1, { a: 1 }]], 1],
    ['an empty file', '', [], 0],
  ])('%s', async (_name, text, want, warnings) => {
    const r = await read(text);
    expect(r.lines).toEqual(want);
    expect(r.warnings).toHaveLength(warnings);
  });

  it('lines picked by skip are counted but never parsed', async () => {
    const path = join(root, 'skip.jsonl');
    writeFileSync(path, '{"ok":true}\n{"ok":false}\nnot json "ok":true\n');
    const seen: [number, unknown][] = [];
    for await (const { line, value } of readJsonl(path, () => {}, (t) => t.includes('"ok":true'))) seen.push([line, value]);
    expect(seen).toEqual([[2, { ok: false }]]);
  });

  it('a bad line that is not the last is an error naming the file and line', async () => {
    await expect(read('{"a":1}\n{"a":\n{"a":3}\n')).rejects.toThrow(/x\.jsonl line 2 is not valid JSON/);
  });

  it('lines split across read chunks come out whole', async () => {
    // Two 1 MiB reads: line 3000 or so straddles the boundary.
    const lines = Array.from({ length: 6000 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(300) }));
    const r = await read(lines.join('\n') + '\n');
    expect(r.lines).toHaveLength(6000);
    expect(r.lines.every(([n, v]) => (v as { i: number }).i === n - 1)).toBe(true);
  });
});
