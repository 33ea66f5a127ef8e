// Decode: CPU per SSE event of the client's parsing and decoding alone, in this process (no
// network, no simulator), so the figures are ratios measured side by side: the reference path
// (bytes -> string -> JSON.parse -> walk) against the byte scanner and the per-stream template
// decoder (src/sse/openai-fast.ts). Candidates run in interleaved rounds; the table gives the
// median and the minimum of the rounds (the minimum is the least disturbed by other work on a
// shared machine).
import { decodeOpenAiEvent } from '../../dist/sse/openai-delta.js';
import { OpenAiStreamDecoder, decodeOpenAiEventBytes } from '../../dist/sse/openai-fast.js';
import { SseParser } from '../../dist/sse/parser.js';
import { round } from '../lib.mjs';

export const description = 'ns per SSE event: parse + decode, reference (JSON.parse) vs byte scanner vs stream template';

const WORDS = [' the', ' model', ' answered', ',', ' quickly', ' and', ' then', ' stopped', '.', ' 東京', ' café', ' \\n'];
// Chunk shapes as the servers send them (ids and timestamps shortened).
const SHAPES = {
  vllm: (w) => `{"id":"chatcmpl-9b2e4c1d8f0a4b7e","object":"chat.completion.chunk","created":1731513600,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"content":"${w}"},"logprobs":null,"finish_reason":null}]}`,
  openai: (w) => `{"id":"chatcmpl-B9xYz","object":"chat.completion.chunk","created":1731513600,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_0ba0d124f1","choices":[{"index":0,"delta":{"content":"${w}"},"logprobs":null,"finish_reason":null}],"usage":null}`,
  llamacpp: (w) => `{"choices":[{"finish_reason":null,"index":0,"delta":{"content":"${w}"}}],"created":1731513600,"id":"chatcmpl-xQ2","model":"qwen2.5-7b-instruct-q4_k_m.gguf","system_fingerprint":"b4600-1a2b3c4d","object":"chat.completion.chunk"}`,
};

/** One stream of n events of a shape, as the bytes of an SSE body. */
function stream(shape, n) {
  let s = '';
  for (let i = 0; i < n; i++) s += `data: ${SHAPES[shape](WORDS[i % WORDS.length])}\n\n`;
  return Buffer.from(s);
}

/** Feeds the body in reads of `perRead` events (1: every event its own read, as undici delivers them). */
function reads(body, n, perRead) {
  const out = [];
  const size = Math.ceil(body.length / Math.ceil(n / perRead));
  for (let i = 0; i < body.length; i += size) out.push(body.subarray(i, Math.min(body.length, i + size)));
  return out;
}

const CANDIDATES = {
  // What the client did before: every event a string, then JSON.parse.
  reference: () => {
    let len = 0;
    const p = new SseParser((data) => (len += decodeOpenAiEvent(data, false).textLength));
    return { p, total: () => len };
  },
  scanner: () => {
    let len = 0;
    const p = new SseParser((data) => (len += decodeOpenAiEvent(data, false).textLength), (b, s, e) => (len += decodeOpenAiEventBytes(b, s, e, false).textLength));
    return { p, total: () => len };
  },
  template: () => {
    let len = 0;
    const d = new OpenAiStreamDecoder(false);
    const p = new SseParser((data) => (len += decodeOpenAiEvent(data, false).textLength), (b, s, e) => (len += d.decode(b, s, e).textLength));
    return { p, total: () => len };
  },
};

function timeOnce(make, chunks, n) {
  const { p, total } = make();
  const t0 = process.hrtime.bigint();
  for (const c of chunks) p.push(c);
  p.end();
  const ns = Number(process.hrtime.bigint() - t0) / n;
  if (total() <= 0) throw new Error('decoded no text');
  return ns;
}

export async function run({ quick = false } = {}) {
  const n = quick ? 2_000 : 20_000;
  const rounds = quick ? 5 : 25;
  const rows = [];
  for (const shape of quick ? ['vllm'] : Object.keys(SHAPES)) {
    const body = stream(shape, n);
    const chunks = reads(body, n, 1);
    const times = Object.fromEntries(Object.keys(CANDIDATES).map((k) => [k, []]));
    for (let r = 0; r < rounds; r++) for (const [k, make] of Object.entries(CANDIDATES)) times[k].push(timeOnce(make, chunks, n));
    const stat = (k) => {
      const v = times[k].slice(Math.min(2, rounds - 1)).sort((a, b) => a - b); // first rounds warm the JIT
      return { med: v[v.length >> 1], min: v[0] };
    };
    const ref = stat('reference');
    for (const k of Object.keys(CANDIDATES)) {
      const s = stat(k);
      rows.push({ shape, path: k, bytes_per_event: round(body.length / n, 0), ns_per_event_median: round(s.med, 0), ns_per_event_min: round(s.min, 0), vs_reference: round(s.med / ref.med, 2) });
    }
  }
  return rows;
}
