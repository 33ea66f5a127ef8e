import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../cli/e2e.test-util.js';
import { parseDatasetArg, readDataset, type DatasetFormat } from './dataset-files.js';

const tmp = tempDir('datasets');
afterAll(() => tmp.remove());
const sample = (name: string) => fileURLToPath(new URL(`../../datasets/${name}`, import.meta.url));

function file(name: string, text: string | Buffer): string {
  const p = join(tmp.path, name);
  writeFileSync(p, text);
  return p;
}
const read = (format: DatasetFormat, text: string, limit: number | null = null) => readDataset(format, file(`f-${format}`, text), limit);

describe('--dataset', () => {
  it.each([
    ['random', { format: 'random' }],
    ['jsonl:a/b.jsonl', { format: 'jsonl', path: 'a/b.jsonl' }],
    ['lines:prompts.txt', { format: 'lines', path: 'prompts.txt' }],
    ['sharegpt:C:/x.json', { format: 'sharegpt', path: 'C:/x.json' }],
    ['my.jsonl', { format: 'jsonl', path: 'my.jsonl' }],
    ['dump.json', { format: 'sharegpt', path: 'dump.json' }],
    ['prompts.txt', { format: 'lines', path: 'prompts.txt' }],
  ])('%s', (arg, want) => expect(parseDatasetArg(arg)).toEqual(want));
  it('refuses what it cannot read', () => {
    expect(() => parseDatasetArg('csv:x.csv')).toThrow('--dataset csv:x.csv: expected random, jsonl:PATH, lines:PATH or sharegpt:PATH');
    expect(() => parseDatasetArg('data.parquet')).toThrow(/expected random/);
  });
});

describe('the sample datasets', () => {
  it('jsonl: every kind of line', () => {
    const { entries } = readDataset('jsonl', sample('sample-prompts.jsonl'), null);
    expect(entries).toHaveLength(16);
    expect(new Set(entries.map((e) => e.kind))).toEqual(new Set(['text', 'messages', 'body']));
    expect(entries[5]).toMatchObject({ kind: 'body', body: { max_tokens: 96 } });
  });
  it('lines and sharegpt', () => {
    expect(readDataset('lines', sample('sample-prompts.txt'), null).entries).toHaveLength(6);
    const s = readDataset('sharegpt', sample('sample-sharegpt.json'), null);
    expect(s.entries).toHaveLength(7);
    expect(s.skipped).toBe(1);
    // The first user turn, and the reply that follows it.
    expect(s.entries[6]).toMatchObject({ kind: 'text', text: 'Tell me a fun fact about octopuses.', reference: 'Octopuses have three hearts and blue blood.' });
  });
});

describe('ShareGPT conversations', () => {
  it('keeps the later user turns and their replies only for multi-turn runs', () => {
    const path = sample('sample-conversations.json');
    const single = readDataset('sharegpt', path, null).entries;
    expect(single.every((e) => e.kind === 'text' && e.later === undefined)).toBe(true);
    const multi = readDataset('sharegpt', path, null, true).entries;
    expect(multi.map((e) => (e.kind === 'text' ? 1 + (e.later?.length ?? 0) : 0))).toEqual([3, 2, 4, 2, 1]);
    const first = multi[0]!;
    expect(first.kind === 'text' && first.later?.[0]).toEqual({ content: 'Is Sintra doable by train, or should I rent a car?', reference: 'Take the train from Rossio: about forty minutes, and parking in Sintra is hard.' });
  });
});

describe('reading', () => {
  it('jsonl: strings, messages, bodies, text objects; blank lines, CRLF and a BOM', () => {
    const { entries } = read('jsonl', '\uFEFF"a b"\r\n\r\n[{"role":"user","content":"c"}]\n{"messages":[{"role":"user","content":"d"}],"top_p":0.5}\n{"prompt":"e"}\n{"text":"f","id":3}\n');
    expect(entries.map((e) => [e.kind, e.loc.split(':').at(-1)])).toEqual([['text', '1'], ['messages', '3'], ['body', '4'], ['body', '5'], ['text', '6']]);
    expect(entries[0]).toMatchObject({ text: 'a b' });
  });
  it('lines: one prompt per line, blank lines skipped, text as it is', () => {
    expect(read('lines', 'one "quoted" {x}\n\n  two\r\n').entries.map((e) => e.kind === 'text' && e.text)).toEqual(['one "quoted" {x}', '  two']);
  });
  it('sharegpt: a JSON array or JSON lines, from/value or role/content, strings holding brackets and quotes', () => {
    const conv = (q: string) => ({ conversations: [{ from: 'human', value: q }, { from: 'gpt', value: 'ok' }] });
    const array = JSON.stringify([conv('a [b] {c} "d" \\ e,'), { conversations: [{ role: 'user', content: 'f' }, { role: 'assistant', content: 'g' }] }], null, 1);
    expect(read('sharegpt', array).entries.map((e) => e.kind === 'text' && [e.text, e.reference])).toEqual([['a [b] {c} "d" \\ e,', 'ok'], ['f', 'g']]);
    expect(read('sharegpt', `${JSON.stringify(conv('x'))}\n${JSON.stringify(conv('y'))}\n`).entries).toHaveLength(2);
  });
  it('stops at the prompts the run needs', () => {
    expect(read('lines', 'a\nb\nc\nd\n', 2).entries).toHaveLength(2);
    // Past the limit a broken line is never read.
    expect(read('jsonl', '"a"\n"b"\n{broken\n', 2).entries).toHaveLength(2);
    const big = JSON.stringify(Array.from({ length: 50 }, (_, i) => ({ conversations: [{ from: 'human', value: `q${i}` }] })));
    expect(read('sharegpt', big, 3).entries).toHaveLength(3);
  });
  it('a file larger than the first read: a prefix, then more only when needed, never a cut item', () => {
    // ~12 MB: the first read (8 MB) ends inside an item and inside a multi-byte character.
    const item = (i: number) => ({ conversations: [{ from: 'human', value: `q${i} ${'é€"\\'.repeat(150)}` }, { from: 'gpt', value: 'a'.repeat(400) }] });
    const n = 12_000;
    const path = file('big.json', `[${Array.from({ length: n }, (_, i) => JSON.stringify(item(i))).join(',\n')}]`);
    const first = readDataset('sharegpt', path, 5).entries;
    expect(first.map((e) => e.kind === 'text' && e.text.split(' ')[0])).toEqual(['q0', 'q1', 'q2', 'q3', 'q4']);
    const many = readDataset('sharegpt', path, n - 1).entries;
    expect(many).toHaveLength(n - 1);
    expect(many.every((e, i) => e.kind === 'text' && e.text === item(i).conversations[0]!.value)).toBe(true);
    expect(many.at(-1)!.loc).toBe(`${path}:${n - 1}`);
    const lines = file('big.txt', Array.from({ length: n }, (_, i) => `p${i} ${'é'.repeat(500)}`).join('\n'));
    const got = readDataset('lines', lines, n).entries;
    expect(got).toHaveLength(n);
    expect(got.every((e, i) => e.kind === 'text' && e.text === `p${i} ${'é'.repeat(500)}`)).toBe(true);
  });
});

describe('malformed files: one line naming the file, the line and the fix', () => {
  it.each([
    ['jsonl', '"ok"\n{"prompt": "x",}\n', /f-jsonl:2: not valid JSON \(.*\); each line must be one JSON value: "text", \[messages\], \{"messages": \[\.\.\.\]\}/],
    ['jsonl', '"ok"\n\n42\n', /f-jsonl:3: no prompt found; each line must be one JSON value/],
    ['jsonl', '{"messages": []}\n', /f-jsonl:1: "messages" must be a non-empty array/],
    ['jsonl', '{"messages": [{"role": "user", "content": "a"}, {"content": "b"}]}\n', /f-jsonl:1: message 2 must be \{"role": "user", "content": "..."\}/],
    ['jsonl', '{"prompt": 5}\n', /f-jsonl:1: "prompt" must be a non-empty string/],
    ['jsonl', '"  "\n', /f-jsonl:1: empty prompt; remove the line/],
    ['jsonl', '{"question": "x"}\n', /f-jsonl:1: no prompt found/],
    ['sharegpt', '[\n {"conversations": [{"from": "human", "value": "a"}]},\n {"id": 2}\n]', /f-sharegpt:3: no "conversations" list; expected ShareGPT: \[\{"conversations"/],
    ['sharegpt', '[\n {"conversations": [{"from": "human"}]}\n]', /f-sharegpt:2: turn 1 must be \{"from": "human" \| "gpt", "value": "..."\}/],
    ['sharegpt', '[\n {"conversations": [{"from": "human", "value": "a"}]},\n {"conversations": [}\n]', /f-sharegpt:3: a } closes a bracket it does not match/],
    ['sharegpt', '[\n {"conversations": [{"from": "human", "value": "a"}]},\n {"conversations": 7 8}\n]', /f-sharegpt:3: not valid JSON/],
    ['sharegpt', '[{"conversations": [{"from": "human", "value": "a"}]},', /f-sharegpt:1: the JSON array is never closed \(is the file cut short\?\)/],
    ['sharegpt', '[{"conversations": [{"from": "human", "value": "a"}]},,{}]', /f-sharegpt:1: an empty item in the array/],
    ['sharegpt', '[{"conversations": [{"from": "gpt", "value": "a"}]}]', /--dataset sharegpt:.*f-sharegpt: no prompts in the file \(1 conversation without a user turn\)/],
    ['lines', '\n\n', /--dataset lines:.*f-lines: no prompts in the file/],
  ] as const)('%s %j', (format, text, msg) => {
    expect(() => read(format, text)).toThrow(msg);
  });
  it('a missing file', () => {
    expect(() => readDataset('jsonl', join(tmp.path, 'nope.jsonl'), null)).toThrow(/--dataset jsonl:.*nope.jsonl: no such file/);
  });
});
