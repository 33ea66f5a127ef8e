import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readJsonl } from './jsonl.js';

const root = mkdtempSync(join(tmpdir(), 'evalperf-report-jsonl-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function read(text: string): Promise<{ values: unknown[]; warnings: string[] }> {
  const path = join(root, 'requests.jsonl');
  writeFileSync(path, text);
  const warnings: string[] = [];
  const values: unknown[] = [];
  for await (const { value } of readJsonl(path, (w) => warnings.push(w))) values.push(value);
  return { values, warnings };
}

// The cut-line cases themselves are in src/jsonl/read-jsonl.test.ts; here, what a report does with them.
describe('readJsonl (a run folder file)', () => {
  it('skips a last line cut mid-write, with a warning naming the file and line', async () => {
    expect(await read('{"a":1}\n{"a":')).toEqual({ values: [{ a: 1 }], warnings: ['requests.jsonl line 2 is cut short (the run stopped mid-write): skipped'] });
  });

  it('refuses a bad line that is not the last, naming the file, the line and the fix', async () => {
    await expect(read('{"a":1}\n{"a":\n{"a":3}\n')).rejects.toThrow(/requests\.jsonl line 2 is not valid JSON \(.+\): fix or delete that line/);
  });
});
