import { errorOf, isObject, type DecodedResponse } from '../sse/openai-delta.js';

/**
 * The JSON answer of an embeddings or rerank endpoint, in the shape the generation decoder
 * gives (DecodedResponse), so the exchange treats both alike: `textLength` is the number of
 * embeddings or scores returned (0 = an empty answer), usage has the input tokens and no output.
 *
 * Embeddings (OpenAI, vLLM): {"data": [{"embedding": [...] | "base64"}], "usage": {"prompt_tokens"}}.
 * Rerank (vLLM, Jina, Cohere): {"results": [{"index", "relevance_score"}], "usage": {"total_tokens"}}.
 */
export type PoolingApi = 'embeddings' | 'rerank';

type Json = Record<string, unknown>;
const malformed = (errorMessage: string): DecodedResponse => ({ kind: 'malformed', text: '', textLength: 0, errorMessage });

export function decodePoolingResponse(api: PoolingApi, body: string): DecodedResponse {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return malformed(`response body is not JSON: ${body.slice(0, 120)}`);
  }
  if (!isObject(v)) return malformed('response body is not a JSON object');
  const error = errorOf(v);
  if (error !== undefined) return { kind: 'error', text: '', textLength: 0, errorMessage: error };
  const items = api === 'embeddings' ? embeddings(v) : scores(v);
  if (typeof items === 'string') return malformed(items);
  const res: DecodedResponse = { kind: 'ok', text: '', textLength: items };
  const tokens = inputTokens(v);
  if (tokens !== null) res.usage = { promptTokens: tokens, completionTokens: 0 };
  return res;
}

/** How many embeddings came back, or why the body is not an embeddings answer. */
function embeddings(v: Json): number | string {
  if (!Array.isArray(v.data)) return 'no "data" array in the embeddings response: is --url an embeddings endpoint?';
  for (const d of v.data) {
    const e = isObject(d) ? d.embedding : undefined;
    if (!(Array.isArray(e) && e.length > 0) && !(typeof e === 'string' && e.length > 0)) return 'an item of "data" has no "embedding" (a list of numbers or base64)';
  }
  return v.data.length;
}

function scores(v: Json): number | string {
  if (!Array.isArray(v.results)) return 'no "results" array in the rerank response: is --url a rerank endpoint (vLLM /v1/rerank, Jina, Cohere)?';
  for (const r of v.results) {
    if (!isObject(r) || typeof r.index !== 'number' || typeof r.relevance_score !== 'number') return 'an item of "results" lacks "index" or "relevance_score"';
  }
  return v.results.length;
}

/** prompt_tokens (embeddings), else total_tokens (rerank reports only that); null if neither. */
function inputTokens(v: Json): number | null {
  const u = v.usage;
  if (!isObject(u)) return null;
  for (const k of ['prompt_tokens', 'total_tokens']) {
    const n = u[k];
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0) return n;
  }
  return null;
}
