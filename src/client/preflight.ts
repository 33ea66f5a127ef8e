import type { Target } from '../config/target.js';
import { checkRequest, notJson, TargetError, wantsCredentials } from './check-request.js';
import { decodePoolingResponse } from './pooling-response.js';
import { buildRequestBody, buildRerankBody, type RequestShape } from './request-body.js';
import { cleanMessage, errorBodyMessage } from './errors.js';

/**
 * One real request before the load (max_tokens 1, not streamed, with the run's model and extra
 * body), so a wrong path, missing credentials, an unknown model or an HTML page is one clear
 * error and exit 2, not a run of identical failures. An overloaded server (429, 5xx) is the
 * kind of server a stress test is for: that only warns.
 */
export async function preflight(target: Target, headers: Record<string, string>, shape: RequestShape, insecure = false, timeoutMs = 60_000): Promise<{ warning: string | null }> {
  const url = target.origin + target.endpointPath;
  const body = shape.api === 'rerank' ? buildRerankBody(shape, 'Hi', ['Hello', 'Bye']) : buildRequestBody({ ...shape, maxTokens: 1, stream: false }, 'Hi');
  const answer = await checkRequest(target, url, { method: 'POST', headers, body }, { insecure, timeoutMs });
  const { status, contentType } = answer;
  // Kept whole (to 1 MB) for the pooling check: an embedding alone is many kB of JSON.
  const text = answer.text.slice(0, 1 << 20);
  const where = `${target.display} (${target.api} endpoint ${target.endpointPath.split('?')[0]})`;
  if (status === 401 || status === 403) throw wantsCredentials(where, status);
  if (status === 404 || status === 405) throw new TargetError(`${where} answered HTTP ${status}: ${cleanMessage(errorBodyMessage(status, text), 160)}; check --url (usually the base ending in /v1), --api and --model`);
  if (status === 429 || status >= 500) return { warning: `the check request got ${errorBodyMessage(status, text)}; starting anyway` };
  if (status >= 400) throw new TargetError(`${where} refused the request: ${errorBodyMessage(status, text)}; check --model, --extra-body and --max-tokens`);
  if (/html/i.test(contentType) || !/^\s*[{[]/.test(text)) throw notJson(where, contentType);
  if (shape.api === 'embeddings' || shape.api === 'rerank') {
    const r = decodePoolingResponse(shape.api, text);
    if (r.kind === 'malformed') throw new TargetError(`${where} answered, but not as ${shape.api} do: ${r.errorMessage}`);
  }
  return { warning: null };
}
