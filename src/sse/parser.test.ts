import { describe, expect, it } from 'vitest';
import { SseParser } from './parser.js';

type Ev = [data: string, type: string];
type Chunk = string | Uint8Array;

const enc = new TextEncoder();
const bytes = (c: Chunk): Uint8Array => (typeof c === 'string' ? enc.encode(c) : c);

function runWith(chunks: Chunk[], callEnd: boolean, viaBytes: boolean): Ev[] {
  const out: Ev[] = [];
  const onBytes = viaBytes ? (b: Buffer, s: number, e: number, type: string) => out.push([b.toString('utf8', s, e), type]) : undefined;
  const p = new SseParser((data, type) => out.push([data, type]), onBytes);
  for (const c of chunks) p.push(bytes(c));
  if (callEnd) p.end();
  return out;
}

/** Every case runs twice: strings only, and with a bytes handler; both must see the same. */
function run(chunks: Chunk[], callEnd = true): Ev[] {
  const out = runWith(chunks, callEnd, false);
  expect(runWith(chunks, callEnd, true)).toEqual(out);
  return out;
}

/** Every way of cutting b into two pieces (including empty pieces at either end). */
function twoWaySplits(b: Uint8Array): Uint8Array[][] {
  const out: Uint8Array[][] = [];
  for (let k = 0; k <= b.length; k++) out.push([b.subarray(0, k), b.subarray(k)]);
  return out;
}

function oneByteChunks(b: Uint8Array): Uint8Array[] {
  return Array.from(b, (_, i) => b.subarray(i, i + 1));
}

// Shape of a real vLLM 0.x /v1/chat/completions stream with stream_options.include_usage:
// role-only first chunk, content chunks, finish chunk with stop_reason, usage-only chunk, [DONE].
const ID = 'chatcmpl-3f1c9b0e6a2d4c58a7e1b9d04c6f2a1e';
const HEAD = `"id":"${ID}","object":"chat.completion.chunk","created":1731513600,"model":"meta-llama/Llama-3.1-8B-Instruct"`;
const VLLM_EVENTS = [
  `{${HEAD},"choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}`,
  `{${HEAD},"choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}]}`,
  `{${HEAD},"choices":[{"index":0,"delta":{"content":" 世界"},"logprobs":null,"finish_reason":null}]}`,
  `{${HEAD},"choices":[{"index":0,"delta":{"content":"! 😀"},"logprobs":null,"finish_reason":null}]}`,
  `{${HEAD},"choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"stop","stop_reason":null}]}`,
  `{${HEAD},"choices":[],"usage":{"prompt_tokens":12,"total_tokens":16,"completion_tokens":4}}`,
  '[DONE]',
];
const VLLM_STREAM = VLLM_EVENTS.map((d) => `data: ${d}\n\n`).join('');
const VLLM_EXPECTED: Ev[] = VLLM_EVENTS.map((d) => [d, 'message']);

describe('SseParser line handling', () => {
  const cases: { name: string; chunks: Chunk[]; want: Ev[]; end?: boolean }[] = [
    { name: 'LF', chunks: ['data: a\n\ndata: b\n\n'], want: [['a', 'message'], ['b', 'message']] },
    { name: 'CRLF', chunks: ['data: a\r\n\r\ndata: b\r\n\r\n'], want: [['a', 'message'], ['b', 'message']] },
    { name: 'CR', chunks: ['data: a\r\rdata: b\r\r'], want: [['a', 'message'], ['b', 'message']] },
    { name: 'mixed endings', chunks: ['data: a\r\n\ndata: b\r\r\ndata: c\n\r'], want: [['a', 'message'], ['b', 'message'], ['c', 'message']] },
    { name: 'CRLF split between chunks is one ending', chunks: ['data: a\r', '\n', '\r', '\n'], want: [['a', 'message']] },
    { name: 'CRLF split inside a multi-line event', chunks: ['data: a\r', '\ndata: b\r\n\r\n'], want: [['a\nb', 'message']] },
    { name: 'CR then non-LF chunk', chunks: ['data: a\r', '\rdata: b\r', 'data: c\r\r'], want: [['a', 'message'], ['b\nc', 'message']] },
    { name: 'empty chunk between CR and LF', chunks: ['data: a\r', new Uint8Array(0), '\n\n'], want: [['a', 'message']] },
    { name: 'comment lines ignored', chunks: [': ping\n\n:\ndata: x\n: mid\n\n'], want: [['x', 'message']] },
    { name: 'multi-line data joined with LF', chunks: ['data: a\ndata: b\ndata:\ndata: c\n\n'], want: [['a\nb\n\nc', 'message']] },
    { name: 'data without the space', chunks: ['data:{"x":1}\n\n'], want: [['{"x":1}', 'message']] },
    { name: 'only one space removed', chunks: ['data:  two\n\n'], want: [[' two', 'message']] },
    { name: 'line with no colon is a field with empty value', chunks: ['data\n\n'], want: [['', 'message']] },
    { name: 'event field sets type, reset after dispatch', chunks: ['event: error\ndata: boom\n\ndata: next\n\n'], want: [['boom', 'error'], ['next', 'message']] },
    { name: 'event without space', chunks: ['event:ping\ndata: 1\n\n'], want: [['1', 'ping']] },
    { name: 'id and retry ignored', chunks: ['id: 7\nretry: 1000\ndata: x\nid\n\n'], want: [['x', 'message']] },
    { name: 'unknown fields ignored', chunks: ['foo: bar\ndatax: no\ndat: no\ndata: yes\n\n'], want: [['yes', 'message']] },
    { name: 'colon in value kept', chunks: ['data: {"a":"b:c"}\n\n'], want: [['{"a":"b:c"}', 'message']] },
    { name: 'blank line without data dispatches nothing', chunks: ['\n\n\r\n: c\n\n'], want: [] },
    { name: 'event type without data is dropped at blank line', chunks: ['event: x\n\ndata: y\n\n'], want: [['y', 'message']] },
    { name: 'BOM at start skipped', chunks: ['\uFEFFdata: a\n\n'], want: [['a', 'message']] },
    { name: 'BOM split over chunks', chunks: [new Uint8Array([0xef]), new Uint8Array([0xbb]), new Uint8Array([0xbf]), 'data: a\n\n'], want: [['a', 'message']] },
    { name: 'only the first BOM is skipped', chunks: ['\uFEFFdata: a\n\n\uFEFFdata: b\n\ndata: \uFEFFc\n\n'], want: [['a', 'message'], ['\uFEFFc', 'message']] },
    { name: 'BOM-like prefix that is not a BOM', chunks: [new Uint8Array([0xef]), new Uint8Array([0x41]), '\ndata: a\n\n'], want: [['a', 'message']] },
    { name: '[DONE] present', chunks: ['data: {"x":1}\n\ndata: [DONE]\n\n'], want: [['{"x":1}', 'message'], ['[DONE]', 'message']] },
    { name: '[DONE] absent, end() flushes the last event', chunks: ['data: {"x":1}\n\ndata: {"y":2}\n'], want: [['{"x":1}', 'message'], ['{"y":2}', 'message']] },
    { name: 'end() with unterminated data: [DONE]', chunks: ['data: {"x":1}\n\ndata: [DONE]'], want: [['{"x":1}', 'message'], ['[DONE]', 'message']] },
    { name: 'end() with an unterminated comment', chunks: ['data: a\n\n: bye'], want: [['a', 'message']] },
    { name: 'without end() a pending event waits', chunks: ['data: a\n\ndata: b\n'], want: [['a', 'message']], end: false },
  ];
  it.each(cases)('$name', ({ chunks, want, end }) => {
    expect(run(chunks, end ?? true)).toEqual(want);
  });

  it('end() resets the parser for reuse', () => {
    const out: Ev[] = [];
    const p = new SseParser((d, t) => out.push([d, t]));
    p.push(enc.encode('event: e\ndata: a'));
    p.end();
    p.push(enc.encode('\uFEFFdata: b\n\n'));
    p.end();
    expect(out).toEqual([['a', 'e'], ['b', 'message']]);
  });

  it('reports bytesPending of an incomplete line', () => {
    const p = new SseParser(() => {});
    expect(p.bytesPending).toBe(0);
    p.push(enc.encode('data: ab'));
    expect(p.bytesPending).toBe(8);
    p.push(enc.encode('cd'));
    expect(p.bytesPending).toBe(10);
    p.push(enc.encode('\n\ndata: x'));
    expect(p.bytesPending).toBe(7);
    p.end();
    expect(p.bytesPending).toBe(0);
  });

  it('accepts plain Uint8Array views with a byteOffset, not only Buffers', () => {
    const backing = enc.encode('XXXXdata: hi\n\nYYYY');
    const view = new Uint8Array(backing.buffer, 4, backing.length - 8);
    expect(run([view])).toEqual([['hi', 'message']]);
    expect(run([Buffer.from('data: hi\n\n')])).toEqual([['hi', 'message']]);
  });

  it('hands single-line events to the bytes handler, multi-line ones as strings', () => {
    const got: string[] = [];
    const p = new SseParser((d) => got.push(`str:${d}`), (b, s, e) => got.push(`bytes:${b.toString('utf8', s, e)}`));
    p.push(enc.encode('data: a\n\ndata: b\ndata: c\n\nevent: x\ndata: d\n\ndata: e'));
    p.push(enc.encode('f\n\ndata: g'));
    p.end();
    expect(got).toEqual(['bytes:a', 'str:b\nc', 'bytes:d', 'bytes:ef', 'bytes:g']);
  });

  it('bytes handler: no reference to the caller chunk is kept after push returns', () => {
    const out: string[] = [];
    const p = new SseParser((d) => out.push(d), (b, s, e) => out.push(b.toString('utf8', s, e)));
    const reused = Buffer.from('data: abc\n');
    p.push(reused);
    reused.fill(0x5a);
    p.push(enc.encode('\n'));
    expect(out).toEqual(['abc']);
  });

  it('does not keep a reference to the caller chunk after push returns', () => {
    const out: Ev[] = [];
    const p = new SseParser((d, t) => out.push([d, t]));
    const reused = Buffer.from('data: abc');
    p.push(reused);
    reused.fill(0x5a); // caller recycles its buffer
    p.push(enc.encode('\n\n'));
    expect(out).toEqual([['abc', 'message']]);
  });
});

describe('SseParser chunk boundaries', () => {
  const variants: { name: string; stream: string }[] = [
    { name: 'vLLM stream, LF', stream: VLLM_STREAM },
    { name: 'vLLM stream, CRLF', stream: VLLM_STREAM.replace(/\n/g, '\r\n') },
    { name: 'vLLM stream, CR', stream: VLLM_STREAM.replace(/\n/g, '\r') },
    { name: 'vLLM stream, BOM + CRLF', stream: '\uFEFF' + VLLM_STREAM.replace(/\n/g, '\r\n') },
  ];

  it('multi-line, typed, commented events split at every offset with CRLF', () => {
    const stream = ': keep-alive\r\nevent: delta\r\nid: 1\r\ndata: {"a":\r\ndata: 1}\r\n\r\ndata: 中\r\ndata:😀\r\n\r\n';
    const want: Ev[] = [['{"a":\n1}', 'delta'], ['中\n😀', 'message']];
    const b = enc.encode(stream);
    expect(run([b])).toEqual(want);
    for (const chunks of twoWaySplits(b)) expect(run(chunks)).toEqual(want);
    expect(run(oneByteChunks(b))).toEqual(want);
  });

  it.each(variants)('$name unsplit gives the expected events', ({ stream }) => {
    expect(run([stream])).toEqual(VLLM_EXPECTED);
  });

  it.each(variants)('$name split in two at every byte offset', ({ stream }) => {
    const b = enc.encode(stream);
    for (const chunks of twoWaySplits(b)) expect(run(chunks)).toEqual(VLLM_EXPECTED);
  });

  it.each(variants)('$name in 1-byte chunks', ({ stream }) => {
    expect(run(oneByteChunks(enc.encode(stream)))).toEqual(VLLM_EXPECTED);
  });

  it('vLLM stream without the final blank line, split everywhere, still ends with [DONE]', () => {
    const b = enc.encode(VLLM_STREAM.slice(0, -2));
    for (const chunks of twoWaySplits(b)) expect(run(chunks)).toEqual(VLLM_EXPECTED);
  });

  const chars = [
    { name: '3-byte character 中', ch: '中' },
    { name: '4-byte character 😀', ch: '😀' },
  ];
  it.each(chars)('$name split across chunks at every pair of offsets', ({ ch }) => {
    const text = `a${ch}b${ch}`;
    const b = enc.encode(`data: ${text}\n\n`);
    const want: Ev[] = [[text, 'message']];
    for (let i = 0; i <= b.length; i++) {
      for (let j = i; j <= b.length; j++) {
        expect(run([b.subarray(0, i), b.subarray(i, j), b.subarray(j)])).toEqual(want);
      }
    }
    expect(run(oneByteChunks(b))).toEqual(want);
  });

  it('a long line arriving in many small chunks is reassembled', () => {
    const payload = 'x'.repeat(10_000);
    const b = enc.encode(`data: ${payload}\n\n`);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < b.length; i += 7) chunks.push(b.subarray(i, i + 7));
    expect(run(chunks)).toEqual([[payload, 'message']]);
  });
});
