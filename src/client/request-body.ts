import type { ApiKind } from '../config/target.js';

/** What every request of a run asks for, apart from its prompt. */
export interface RequestShape {
  api: ApiKind;
  model: string;
  maxTokens: number | null;
  temperature: number | null;
  stream: boolean;
  /** Merged over the generated body last, so a user can override any field. */
  extraBody: Record<string, unknown> | null;
}

/**
 * The JSON body of one request. Streaming requests always ask for usage
 * (`stream_options.include_usage`), so token counts come from the server when it can give them.
 */
export function buildRequestBody(shape: RequestShape, prompt: string, images?: readonly string[], maxTokens = shape.maxTokens, ignoreEos = false): string {
  // Embeddings: the prompt is the input; nothing is generated, nothing streams.
  if (shape.api === 'embeddings') return JSON.stringify(Object.assign({ model: shape.model, input: prompt }, shape.extraBody));
  const body: Record<string, unknown> = { model: shape.model };
  // Images (data URLs) go with the text as content parts, the OpenAI vision shape vLLM and SGLang take.
  const content = images === undefined ? prompt : [{ type: 'text', text: prompt }, ...images.map((url) => ({ type: 'image_url', image_url: { url } }))];
  if (shape.api === 'chat') body.messages = [{ role: 'user', content }];
  else body.prompt = prompt;
  return applyRunFields(body, shape, maxTokens, ignoreEos);
}

/**
 * The fields a run decides, set on a body last: model, max_tokens, temperature, streaming with
 * usage, ignore_eos, then the user's --extra-body, which may override any of them.
 */
export function applyRunFields(body: Record<string, unknown>, shape: RequestShape, max: number | null, ignoreEos: boolean): string {
  body.model = shape.model;
  delete body.max_completion_tokens;
  if (max !== null) body.max_tokens = max;
  if (shape.temperature !== null) body.temperature = shape.temperature;
  body.stream = shape.stream;
  if (shape.stream) body.stream_options = { include_usage: true };
  else delete body.stream_options;
  if (ignoreEos && max !== null) Object.assign(body, { ignore_eos: true, min_tokens: max });
  if (shape.extraBody !== null) Object.assign(body, shape.extraBody);
  return JSON.stringify(body);
}

/**
 * The output limit a request really carries, as vLLM reads it (max_completion_tokens, else
 * max_tokens): --extra-body is merged last and may set either, or null one (the body then sends
 * null); NaN when there is none.
 */
export function sentMaxTokens(planned: number | null, extraBody: Record<string, unknown> | null): number {
  if (extraBody !== null) {
    const completion = extraBody.max_completion_tokens;
    if (typeof completion === 'number' && completion >= 1) return completion;
    if (Object.hasOwn(extraBody, 'max_tokens')) return limitOf(extraBody.max_tokens);
  }
  return limitOf(planned);
}

const limitOf = (v: unknown): number => (typeof v === 'number' && v >= 1 ? v : NaN);

/** A rerank request (vLLM, Jina, Cohere shape): one query scored against each document. */
export function buildRerankBody(shape: RequestShape, query: string, documents: string[]): string {
  return JSON.stringify(Object.assign({ model: shape.model, query, documents }, shape.extraBody));
}

/** Request headers. `authorization` is built here and nowhere else is it stored or printed. */
export function buildHeaders(apiKey: string | null, extra: Readonly<Record<string, string>>): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  if (apiKey) h.authorization = `Bearer ${apiKey}`;
  for (const [k, v] of Object.entries(extra)) h[k.toLowerCase()] = v;
  return h;
}
