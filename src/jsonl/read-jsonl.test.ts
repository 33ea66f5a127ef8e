import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readJsonlFile, streamJsonl, type JsonlLine, type JsonlPolicy } from './read-jsonl.js';

const root = mkdtempSync(join(tmpdir(), 'evalperf-jsonl-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Read {
  lines: [number, unknown][];
  cut: number[];
  bad: number[];
}

type Reader = (path: string, policy: JsonlPolicy) => Promise<JsonlLine[]>;
const readers: [string, Reader][] = [
  ['streamJsonl', async (path, policy) => {
    const out: JsonlLine[] = [];
    for await (const l of streamJsonl(path, policy)) out.push(l);
    return out;
  }],
  ['readJsonlFile', async (path, policy) => readJsonlFile(path, policy)],
];

/** Reads `text` with a policy that notes cut and bad lines and skips them (the caches' policy). */
async function read(reader: Reader, text: string): Promise<Read> {
  const path = join(root, 'x.jsonl');
  writeFileSync(path, text);
  const r: Read = { lines: [], cut: [], bad: [] };
  const lines = await reader(path, { onCut: (n) => r.cut.push(n), onBadLine: (n) => void r.bad.push(n) });
  r.lines = lines.map((l) => [l.line, l.value]);
  return r;
}

describe.each(readers)('%s', (_name, reader) => {
  it.each<[string, string, Read]>([
    ['an empty file', '', { lines: [], cut: [], bad: [] }],
    ['whole lines', '{"a":1}\n{"a":2}\n', { lines: [[1, { a: 1 }], [2, { a: 2 }]], cut: [], bad: [] }],
    ['no trailing newline, last line whole', '{"a":1}\n{"a":2}', { lines: [[1, { a: 1 }], [2, { a: 2 }]], cut: [], bad: [] }],
    ['a last line cut mid-write', '{"a":1}\n{"a":', { lines: [[1, { a: 1 }]], cut: [2], bad: [] }],
    ['a tail of white space only', '{"a":1}\n  ', { lines: [[1, { a: 1 }]], cut: [], bad: [] }],
    ['blank lines (counted, skipped)', '{"a":1}\n\n{"a":2}\n', { lines: [[1, { a: 1 }], [3, { a: 2 }]], cut: [], bad: [] }],
    ['CRLF line ends', '{"a":1}\r\n{"a":2}\r\n', { lines: [[1, { a: 1 }], [2, { a: 2 }]], cut: [], bad: [] }],
    ['a bad line in the middle', '{"a":1}\n{"a":\n{"a":3}\n', { lines: [[1, { a: 1 }], [3, { a: 3 }]], cut: [], bad: [2] }],
    ['a bad last line that has its newline: bad, not cut', '{"a":1}\n{"a":\n', { lines: [[1, { a: 1 }]], cut: [], bad: [2] }],
    ['a bad middle line and a cut last line', '{"a":\n{"a":2}\n{"b', { lines: [[2, { a: 2 }]], cut: [3], bad: [1] }],
  ])('%s', async (_case, text, want) => {
    expect(await read(reader, text)).toEqual(want);
  });

  it('a bad line stops the read when the policy throws', async () => {
    const path = join(root, 'stop.jsonl');
    writeFileSync(path, '{"a":1}\nnot json\n{"a":3}\n');
    const policy: JsonlPolicy = { onCut: () => {}, onBadLine: (n) => { throw new Error(`line ${n} is bad`); } };
    await expect(reader(path, policy)).rejects.toThrow('line 2 is bad');
  });

  it('lines picked by skip are counted but never parsed', async () => {
    const path = join(root, 'skip.jsonl');
    writeFileSync(path, '{"ok":true}\n{"ok":false}\nnot json "ok":true\n');
    const bad: number[] = [];
    const lines = await reader(path, { onCut: () => {}, onBadLine: (n) => void bad.push(n), skip: (t) => t.includes('"ok":true') });
    expect(lines.map((l) => [l.line, l.value])).toEqual([[2, { ok: false }]]);
    expect(bad).toEqual([]);
  });
});

describe('reading whole files and big ones', () => {
  it('readJsonlFile: a file that is not there has no lines', () => {
    expect(readJsonlFile(join(root, 'absent.jsonl'), { onCut: () => {}, onBadLine: () => {} })).toEqual([]);
  });

  it('streamJsonl: lines split across read chunks come out whole', async () => {
    // Two 1 MiB reads: line 3000 or so straddles the boundary.
    const text = Array.from({ length: 6000 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(300) })).join('\n') + '\n';
    const r = await read(readers[0]![1], text);
    expect(r.lines).toHaveLength(6000);
    expect(r.lines.every(([n, v]) => (v as { i: number }).i === n - 1)).toBe(true);
  });
});
