import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonlSink } from './record-sink.js';

describe('JsonlSink', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalperf-sink-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes whole lines and appends to what is there', () => {
    const path = join(dir, 'a.jsonl');
    const s = new JsonlSink(path);
    s.writeLines(['{"a":1}', '{"a":2}']);
    s.close();
    const t = new JsonlSink(path);
    t.writeLines(['{"a":3}']);
    t.close();
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n{"a":2}\n{"a":3}\n');
  });

  it('after a line cut by a crash, new lines start on a line of their own', () => {
    const path = join(dir, 'b.jsonl');
    writeFileSync(path, '{"a":1}\n{"a":');
    const s = new JsonlSink(path);
    s.writeLines(['{"a":2}']);
    s.close();
    expect(readFileSync(path, 'utf8').split('\n')).toEqual(['{"a":1}', '{"a":', '{"a":2}', '']);
  });
});
