import { request } from 'undici';
import type { Target } from '../config/target.js';
import { cleanMessage, describeError } from './errors.js';

/**
 * Checks the target before any load is sent, and finds the model when none was given:
 * GET <base>/models. Fails fast with a one-line error that says what to fix.
 */
export class TargetError extends Error {
  override name = 'TargetError';
}

export async function probeTarget(target: Target, headers: Record<string, string>, model: string | null, timeoutMs = 10_000): Promise<{ model: string; models: string[] }> {
  const url = target.origin + target.modelsPath;
  let status: number;
  let contentType: string;
  let text: string;
  try {
    const res = await request(url, { method: 'GET', headers, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) });
    status = res.statusCode;
    contentType = String(res.headers['content-type'] ?? '');
    text = await res.body.text();
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why =
      code === 'ECONNREFUSED'
        ? 'connection refused: is the server running on that host and port?'
        : code === 'ENOTFOUND'
          ? 'host not found: check the host name in --url'
          : (err as Error).name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT'
            ? `no answer within ${timeoutMs / 1000} s`
            : describeError(err);
    throw new TargetError(`cannot reach ${target.display}: ${why}`);
  }
  if (status === 401 || status === 403) {
    throw new TargetError(`${url} answered HTTP ${status}: the server wants credentials; pass --api-key or set OPENAI_API_KEY`);
  }
  if (status < 200 || status >= 300) {
    if (model !== null) return { model, models: [] }; // some servers have no /models; the run will tell
    throw new TargetError(`${url} answered HTTP ${status}: cannot list models there; pass --model, or check that --url is the API base (it usually ends in /v1)`);
  }
  let ids: string[] = [];
  try {
    const j = JSON.parse(text) as { data?: { id?: unknown }[] };
    ids = (j.data ?? []).map((d) => d.id).filter((id): id is string => typeof id === 'string');
  } catch {
    if (model !== null && !/html/i.test(contentType)) return { model, models: [] };
    throw new TargetError(`${url} answered ${cleanMessage(contentType || 'something', 40)} that is not JSON: check that --url is the API base (it usually ends in /v1)`);
  }
  if (model !== null) return { model, models: ids };
  if (ids.length === 0) throw new TargetError(`${url} lists no models: pass --model`);
  return { model: ids[0]!, models: ids };
}
