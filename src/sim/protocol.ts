import { countSimTokens } from './tokens.js';

export type SimApi = 'chat' | 'completions';

/** A validated generation request. */
export interface SimRequest {
  api: SimApi;
  /** `model` of the request, or undefined when absent. */
  model: string | undefined;
  stream: boolean;
  includeUsage: boolean;
  promptTokens: number;
  /** max_completion_tokens ?? max_tokens, undefined when absent. */
  maxTokens: number | undefined;
  minTokens: number | undefined;
}

/** An error answered with vLLM's error body. */
export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = status === 404 ? 'NotFoundError' : 'BadRequestError',
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

export function errorBody(status: number, message: string, type: string, param: string | null = null): string {
  return JSON.stringify({ object: 'error', message, type, param, code: status });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function optInt(body: Record<string, unknown>, key: string, min: number): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new SimHttpError(400, `${key} must be an integer >= ${min}, got ${JSON.stringify(v)}.`, 'BadRequestError', key);
  }
  return v;
}

/** A vision model's patch grid: one token per 28x28 pixels (Qwen2-VL: 14-pixel patches merged 2x2). */
const IMAGE_PATCH_PX = 28;
/** Images whose size the simulator cannot read (a URL, not a PNG) count as this many tokens. */
const IMAGE_DEFAULT_TOKENS = 256;

/** Tokens of an image_url part: from a PNG data URL's IHDR width and height, else a fixed count. */
export function imageTokens(url: unknown): number {
  const prefix = 'data:image/png;base64,';
  if (typeof url !== 'string' || !url.startsWith(prefix)) return IMAGE_DEFAULT_TOKENS;
  // Signature (8 bytes), IHDR length and type (8), width and height (8): the first 32 base64 characters.
  const head = Buffer.from(url.slice(prefix.length, prefix.length + 32), 'base64');
  if (head.length < 24 || head.toString('latin1', 12, 16) !== 'IHDR') return IMAGE_DEFAULT_TOKENS;
  return Math.ceil(head.readUInt32BE(16) / IMAGE_PATCH_PX) * Math.ceil(head.readUInt32BE(20) / IMAGE_PATCH_PX);
}

/** Prompt tokens of chat messages: words of string contents and of `text` parts, and image patches. */
export function countMessageTokens(messages: unknown[]): number {
  let n = 0;
  for (const m of messages) {
    if (!isObject(m)) throw new SimHttpError(400, 'each message must be an object.', 'BadRequestError', 'messages');
    const content = m['content'];
    if (typeof content === 'string') n += countSimTokens(content);
    else if (Array.isArray(content)) {
      for (const part of content) {
        if (isObject(part) && typeof part['text'] === 'string' && (part['type'] === undefined || part['type'] === 'text')) {
          n += countSimTokens(part['text']);
        } else if (isObject(part) && part['type'] === 'image_url') {
          const img = part['image_url'];
          n += imageTokens(isObject(img) ? img['url'] : img);
        }
      }
    } else if (content !== null && content !== undefined) {
      throw new SimHttpError(400, 'message content must be a string, an array of parts or null.', 'BadRequestError', 'messages');
    }
  }
  return n;
}

/** Prompt tokens of a completions prompt: a string, strings, token ids, or arrays of token ids. */
export function countPromptTokens(prompt: unknown): number {
  if (typeof prompt === 'string') return countSimTokens(prompt);
  if (Array.isArray(prompt) && prompt.length > 0) {
    let n = 0;
    for (const p of prompt) {
      if (typeof p === 'string') n += countSimTokens(p);
      else if (typeof p === 'number') n += 1;
      else if (Array.isArray(p)) n += p.length;
      else throw new SimHttpError(400, 'prompt must be a string, an array of strings or of token ids.', 'BadRequestError', 'prompt');
    }
    return n;
  }
  throw new SimHttpError(400, 'prompt must be a non-empty string or array.', 'BadRequestError', 'prompt');
}

/** Validate a parsed JSON body. Throws SimHttpError(400) on a bad request. */
export function parseSimRequest(api: SimApi, body: unknown): SimRequest {
  if (!isObject(body)) throw new SimHttpError(400, 'request body must be a JSON object.');
  let promptTokens: number;
  if (api === 'chat') {
    const messages = body['messages'];
    if (!Array.isArray(messages) || messages.length === 0) {
      throw new SimHttpError(400, '`messages` is required and must be a non-empty array.', 'BadRequestError', 'messages');
    }
    promptTokens = countMessageTokens(messages);
  } else {
    if (body['prompt'] === undefined || body['prompt'] === null) {
      throw new SimHttpError(400, '`prompt` is required.', 'BadRequestError', 'prompt');
    }
    promptTokens = countPromptTokens(body['prompt']);
  }
  const model = body['model'];
  if (model !== undefined && model !== null && typeof model !== 'string') {
    throw new SimHttpError(400, 'model must be a string.', 'BadRequestError', 'model');
  }
  const stream = body['stream'] === true;
  const streamOptions = body['stream_options'];
  if (streamOptions !== undefined && streamOptions !== null) {
    if (!stream) {
      throw new SimHttpError(400, 'Stream options can only be defined when `stream=True`.', 'BadRequestError', 'stream_options');
    }
    if (!isObject(streamOptions)) {
      throw new SimHttpError(400, 'stream_options must be an object.', 'BadRequestError', 'stream_options');
    }
  }
  const includeUsage = stream && isObject(streamOptions) && streamOptions['include_usage'] === true;
  const maxTokens =
    (api === 'chat' ? optInt(body, 'max_completion_tokens', 1) : undefined) ?? optInt(body, 'max_tokens', 1);
  const minTokens = optInt(body, 'min_tokens', 0);
  if (minTokens !== undefined && maxTokens !== undefined && minTokens > maxTokens) {
    throw new SimHttpError(400, `min_tokens must be less than or equal to max_tokens=${maxTokens}, got ${minTokens}.`, 'BadRequestError', 'min_tokens');
  }
  return { api, model: typeof model === 'string' ? model : undefined, stream, includeUsage, promptTokens, maxTokens, minTokens };
}
