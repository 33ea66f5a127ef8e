import { randomBytes } from 'node:crypto';
import { createRng } from '../load/rng.js';
import { SimHttpError } from './protocol.js';
import { countSimTokens } from './tokens.js';

/**
 * Pooling endpoints of the simulator: /v1/embeddings (OpenAI/vLLM shape) and /v1/rerank
 * (Jina/Cohere shape as vLLM serves it). This module is pure: it validates bodies, counts prompt
 * tokens (words, like generation) and renders response bodies. Timing is the scheduler's: a
 * pooling request is one prefill-only sequence (pooling-responder.ts).
 */

export type PoolingApi = 'embeddings' | 'rerank';

/** Vector length when the request sets no `dimensions`. */
export const DEFAULT_EMBEDDING_DIM = 384;
/** Largest `dimensions` honoured: the simulated model is "matryoshka" up to this size. */
const MAX_EMBEDDING_DIM = 8192;

/** One embeddings input item: text, or token ids (then the ids seed its vector). */
export type EmbeddingInput = string | readonly number[];

export interface EmbeddingRequest {
  api: 'embeddings';
  model: string | undefined;
  inputs: EmbeddingInput[];
  /** Prompt tokens of each input (words, or ids). */
  tokens: number[];
  promptTokens: number;
  encoding: 'float' | 'base64';
  dimensions: number;
}

export interface RerankRequest {
  api: 'rerank';
  model: string | undefined;
  query: string;
  documents: string[];
  /** Results returned: top_n when 0 < top_n < documents, else all (vLLM treats 0 as all). */
  topN: number;
  returnDocuments: boolean;
  /** vLLM scores each (query, document) pair as one prompt: documents x query + sum of documents. */
  promptTokens: number;
}

export type PoolingRequest = EmbeddingRequest | RerankRequest;

const bad = (message: string, param: string | null = null) => new SimHttpError(400, message, 'BadRequestError', param);

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function optModel(body: Record<string, unknown>): string | undefined {
  const model = body['model'];
  if (model === undefined || model === null) return undefined;
  if (typeof model !== 'string') throw bad('model must be a string.', 'model');
  return model;
}

const isTokenId = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** OpenAI's `input`: a string, strings, one list of token ids, or lists of token ids. */
function embeddingInputs(input: unknown): EmbeddingInput[] {
  if (input === undefined || input === null) throw bad('`input` is required.', 'input');
  if (typeof input === 'string') {
    if (input.length === 0) throw bad('`input` must not be an empty string.', 'input');
    return [input];
  }
  if (!Array.isArray(input) || input.length === 0) throw bad('`input` must be a non-empty string or array.', 'input');
  if (input.every(isTokenId)) return [input];
  const out: EmbeddingInput[] = [];
  const shape = 'input must be a string, an array of strings, an array of token ids or an array of arrays of token ids.';
  const kind = typeof input[0] === 'string' ? 'string' : 'ids';
  for (const item of input) {
    if (kind === 'string' && typeof item === 'string') {
      if (item.length === 0) throw bad('`input` must not contain empty strings.', 'input');
      out.push(item);
    } else if (kind === 'ids' && Array.isArray(item) && item.every(isTokenId)) {
      if (item.length === 0) throw bad('`input` must not contain empty token lists.', 'input');
      out.push(item);
    } else throw bad(shape, 'input');
  }
  return out;
}

export function parseEmbeddingRequest(body: unknown): EmbeddingRequest {
  if (!isObject(body)) throw bad('request body must be a JSON object.');
  const inputs = embeddingInputs(body['input']);
  const tokens = inputs.map((x) => (typeof x === 'string' ? countSimTokens(x) : x.length));
  const enc = body['encoding_format'] ?? 'float';
  if (enc !== 'float' && enc !== 'base64') throw bad('encoding_format must be "float" or "base64".', 'encoding_format');
  const dims = body['dimensions'] ?? DEFAULT_EMBEDDING_DIM;
  if (typeof dims !== 'number' || !Number.isInteger(dims) || dims < 1 || dims > MAX_EMBEDDING_DIM) {
    throw bad(`dimensions must be an integer in 1..${MAX_EMBEDDING_DIM}, got ${JSON.stringify(dims)}.`, 'dimensions');
  }
  return {
    api: 'embeddings',
    model: optModel(body),
    inputs,
    tokens,
    promptTokens: tokens.reduce((a, b) => a + b, 0),
    encoding: enc,
    dimensions: dims,
  };
}

export function parseRerankRequest(body: unknown): RerankRequest {
  if (!isObject(body)) throw bad('request body must be a JSON object.');
  const query = body['query'];
  if (typeof query !== 'string' || query.length === 0) throw bad('`query` is required and must be a non-empty string.', 'query');
  // vLLM takes a lone string as one document; Jina and Cohere clients also send [{text}].
  let docs = body['documents'];
  if (typeof docs === 'string') docs = [docs];
  if (!Array.isArray(docs) || docs.length === 0) throw bad('`documents` is required and must be a non-empty array.', 'documents');
  const documents = docs.map((d) => {
    if (typeof d === 'string') return d;
    if (isObject(d) && typeof d['text'] === 'string') return d['text'];
    throw bad('each document must be a string or an object with a string `text`.', 'documents');
  });
  const topN = body['top_n'] ?? 0;
  if (typeof topN !== 'number' || !Number.isInteger(topN) || topN < 0) {
    throw bad(`top_n must be an integer >= 0, got ${JSON.stringify(topN)}.`, 'top_n');
  }
  const ret = body['return_documents'] ?? true;
  if (typeof ret !== 'boolean') throw bad('return_documents must be a boolean.', 'return_documents');
  const q = countSimTokens(query);
  let promptTokens = 0;
  for (const d of documents) promptTokens += q + countSimTokens(d);
  return {
    api: 'rerank',
    model: optModel(body),
    query,
    documents,
    topN: topN > 0 && topN < documents.length ? topN : documents.length,
    returnDocuments: ret,
    promptTokens,
  };
}

/** FNV-1a over UTF-16 code units (text) or ids: a stable seed per input. */
function hash(x: EmbeddingInput, salt = 0x811c9dc5): number {
  let h = salt >>> 0;
  if (typeof x === 'string') for (let i = 0; i < x.length; i++) h = Math.imul(h ^ x.charCodeAt(i), 0x01000193);
  else for (const id of x) h = Math.imul(h ^ (id >>> 0), 0x01000193);
  return h >>> 0;
}

/**
 * A deterministic unit vector for an input: same input, same vector, whatever the request.
 * Values are rounded to float32 first, so the float and base64 encodings carry the same numbers
 * (a real model's float32 output, printed as JSON doubles, looks the same).
 */
export function embedding(input: EmbeddingInput, dim: number): Float32Array {
  const rng = createRng(hash(input));
  const v = new Float64Array(dim);
  let sq = 0;
  for (let i = 0; i < dim; i++) {
    const x = rng() * 2 - 1;
    v[i] = x;
    sq += x * x;
  }
  const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
  const out = new Float32Array(dim);
  for (let i = 0; i < dim; i++) out[i] = (v[i] as number) * inv;
  return out;
}

/** OpenAI's base64 encoding: the float32 values as little-endian bytes, base64. */
export function encodeBase64(v: Float32Array): string {
  const buf = Buffer.allocUnsafe(v.length * 4);
  for (let i = 0; i < v.length; i++) buf.writeFloatLE(v[i] as number, i * 4);
  return buf.toString('base64');
}

export function decodeBase64(s: string): Float32Array {
  const buf = Buffer.from(s, 'base64');
  const out = new Float32Array(buf.length >> 2);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

const words = (s: string): Set<string> => new Set(s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);

/**
 * Relevance of each document in [0, 1): mostly the share of the query's distinct words found in
 * the document (so a client can predict the order), plus a small per-pair hash so documents with
 * the same overlap still get distinct, stable scores.
 */
export function rerankScores(query: string, documents: readonly string[]): number[] {
  const q = words(query);
  return documents.map((doc) => {
    const d = words(doc);
    let hit = 0;
    for (const w of q) if (d.has(w)) hit++;
    const overlap = q.size > 0 ? hit / q.size : 0;
    return 0.9 * overlap + 0.1 * (hash(doc, hash(query)) / 4294967296);
  });
}

/** Document indices by score, highest first; equal scores keep input order. */
export function rankOrder(scores: readonly number[]): number[] {
  return scores.map((_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
}

const ID_PREFIX = randomBytes(6).toString('hex');
let idCounter = 0;
const newId = (): string => ID_PREFIX + (++idCounter).toString(16).padStart(8, '0');

/** The 200 body of a pooling request, rendered when its (only) step ends. */
export function poolingBody(req: PoolingRequest, model: string): string {
  return req.api === 'embeddings' ? embeddingsBody(req, model) : rerankBody(req, model);
}

function embeddingsBody(req: EmbeddingRequest, model: string): string {
  const data = req.inputs.map((x, index) => {
    const v = embedding(x, req.dimensions);
    const e = req.encoding === 'base64' ? `"${encodeBase64(v)}"` : `[${v.join(',')}]`;
    return `{"index":${index},"object":"embedding","embedding":${e}}`;
  });
  const n = req.promptTokens;
  // Built by hand: JSON.stringify of thousands of floats is the slow part, and join is faster.
  return (
    `{"id":"embd-${newId()}","object":"list","created":${Math.floor(Date.now() / 1000)},"model":${JSON.stringify(model)},` +
    `"data":[${data.join(',')}],"usage":{"prompt_tokens":${n},"total_tokens":${n},"completion_tokens":0,"prompt_tokens_details":null}}`
  );
}

function rerankBody(req: RerankRequest, model: string): string {
  const scores = rerankScores(req.query, req.documents);
  const results = rankOrder(scores)
    .slice(0, req.topN)
    .map((index) => ({
      index,
      ...(req.returnDocuments ? { document: { text: req.documents[index] } } : {}),
      relevance_score: scores[index],
    }));
  const n = req.promptTokens;
  return JSON.stringify({ id: `rerank-${newId()}`, model, usage: { prompt_tokens: n, total_tokens: n }, results });
}
