import { describe, expect, it } from 'vitest';
import { decodeOpenAiEvent } from './openai-delta.js';
import { OpenAiStreamDecoder, decodeOpenAiEventBytes, scanOpenAiChunk } from './openai-fast.js';
import { eventCases, textCases } from './event-cases.test-util.js';

/** The payload inside a larger buffer, with bytes around it that would mislead an overrun. */
function embedded(payload: Uint8Array): { b: Buffer; s: number; e: number } {
  const pre = Buffer.from('data: ');
  const post = Buffer.from('"}]},"x":1}\n\n{');
  return { b: Buffer.concat([pre, payload, post]), s: pre.length, e: pre.length + payload.length };
}

/**
 * Both paths, both collectText settings, payload alone and embedded, and through a stream
 * decoder that first saw `primer` (so a template from another chunk is tried on this one): all
 * must agree with the reference. Compared as JSON first (undefined keys drop out, as toEqual
 * ignores them) so the fuzz loops stay fast; expect() only runs to report a difference.
 */
function expectAgree(payload: Uint8Array, primer?: Uint8Array): void {
  const str = Buffer.from(payload).toString('utf8');
  const { b, s, e } = embedded(payload);
  for (const collect of [false, true]) {
    const want = decodeOpenAiEvent(str, collect);
    const got = [decodeOpenAiEventBytes(Buffer.from(payload), 0, payload.length, collect), decodeOpenAiEventBytes(b, s, e, collect)];
    if (primer !== undefined) {
      const d = new OpenAiStreamDecoder(collect);
      d.decode(Buffer.from(primer), 0, primer.length);
      got.push(d.decode(b, s, e));
    }
    const w = JSON.stringify(want);
    for (const g of got) if (JSON.stringify(g) !== w) expect({ payload: str, collect, got: g }).toEqual({ payload: str, collect, got: want });
  }
}

const answered = (data: string) => data === '[DONE]' || scanOpenAiChunk(Buffer.from(data), 0, Buffer.byteLength(data), false) !== null;

describe('decodeOpenAiEventBytes agrees with decodeOpenAiEvent', () => {
  it.each(eventCases)('$name', ({ data, fast }) => {
    expectAgree(Buffer.from(data));
    // Which shapes skip JSON.parse is part of the contract: a change here is a decision.
    expect(answered(data)).toBe(fast === true);
  });

  it.each(textCases)('collectText: $name', ({ data, text }) => {
    expect(decodeOpenAiEventBytes(Buffer.from(data), 0, Buffer.byteLength(data), true).text).toBe(text);
    expectAgree(Buffer.from(data));
  });

  // A stream decoder keeps the last chunk as a template: whatever came before, the next chunk
  // must decode as the reference says (templates from every shape tried on every shape).
  it('stream decoder: every shape after every shape', () => {
    const all = [...eventCases, ...textCases].map((c) => Buffer.from(c.data));
    for (const primer of all) for (const payload of all) expectAgree(payload, primer);
  });

  it('stream decoder: a stream of content chunks uses its template and stays exact', () => {
    const d = new OpenAiStreamDecoder(false);
    const chunk = (c: string) => Buffer.from(`{"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":${c}},"finish_reason":null}]}`);
    for (const c of ['"a"', '"bcd"', '""', '"\\u00e9\\n"', '"中😀"', 'null', '"z"', '"\\x"', '"ok"']) {
      const b = chunk(c);
      expect(d.decode(b, 0, b.length)).toEqual(decodeOpenAiEvent(b.toString(), false));
    }
  });

  // Every prefix of every shape: a payload cut anywhere (a truncated line) must come out the
  // same as the reference says, malformed or not.
  it('every truncation of every shape', () => {
    for (const { data } of [...eventCases, ...textCases]) {
      const b = Buffer.from(data);
      for (let k = 0; k < b.length; k++) expectAgree(b.subarray(0, k), b);
    }
  });

  // Single-byte substitutions at every offset with bytes that matter to a JSON scanner.
  const subs = [0x22, 0x5c, 0x2c, 0x3a, 0x7d, 0x5d, 0x20, 0x00, 0x30, 0x80, 0xff];
  it.each(eventCases.filter((c) => c.fast && c.data !== '[DONE]'))('every single-byte substitution: $name', ({ data }) => {
    const b = Buffer.from(data);
    for (let i = 0; i < b.length; i++) {
      for (const x of subs) {
        const m = Buffer.from(b);
        m[i] = x;
        expectAgree(m, b); // the original primes the template: the mutation must not fool it
      }
    }
  });
});

describe('UTF-8 in strings', () => {
  const wrap = (bytes: number[]) => Buffer.concat([Buffer.from('{"choices":[{"delta":{"content":"'), Buffer.from(bytes), Buffer.from('"}}]}')]);
  const cases: { name: string; bytes: number[]; fast: boolean }[] = [
    { name: '2-byte é', bytes: [0xc3, 0xa9], fast: true },
    { name: '3-byte 中', bytes: [0xe4, 0xb8, 0xad], fast: true },
    { name: '4-byte 😀 is two UTF-16 units', bytes: [0xf0, 0x9f, 0x98, 0x80], fast: true },
    { name: 'U+10FFFF', bytes: [0xf4, 0x8f, 0xbf, 0xbf], fast: true },
    { name: 'lone continuation byte', bytes: [0x80], fast: false },
    { name: 'overlong 2-byte', bytes: [0xc0, 0xaf], fast: false },
    { name: 'overlong 3-byte', bytes: [0xe0, 0x80, 0xaf], fast: false },
    { name: 'encoded surrogate', bytes: [0xed, 0xa0, 0x80], fast: false },
    { name: 'above U+10FFFF', bytes: [0xf4, 0x90, 0x80, 0x80], fast: false },
    { name: 'truncated 3-byte sequence', bytes: [0xe4, 0xb8], fast: false },
    { name: 'byte 0xff', bytes: [0xff], fast: false },
  ];
  it.each(cases)('$name', ({ bytes, fast }) => {
    const b = wrap(bytes);
    expectAgree(b);
    expect(scanOpenAiChunk(b, 0, b.length, false) !== null).toBe(fast);
  });
});
