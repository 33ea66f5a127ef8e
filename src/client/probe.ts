import { Agent, request, type Dispatcher } from 'undici';
import type { Target } from '../config/target.js';
import { cleanMessage, describeError } from './errors.js';

/**
 * Checks the target before any load is sent, and finds the model when none was given:
 * GET <base>/models. Fails fast with a one-line error that says what to fix.
 */
export class TargetError extends Error {
  override name = 'TargetError';
}

const TLS_CODES = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED']);

/** A dispatcher for the checks before a run: the global one, or one that skips TLS verification. */
export function checkDispatcher(insecure: boolean): Dispatcher | undefined {
  return insecure ? new Agent({ connect: { rejectUnauthorized: false } }) : undefined;
}

/** Why a target could not be reached, in words that say what to do. */
export function unreachable(target: Target, err: unknown, timeoutMs: number): TargetError {
  const code = (err as { code?: string }).code ?? '';
  const why =
    code === 'ECONNREFUSED'
      ? 'connection refused: is the server running on that host and port?'
      : code === 'ENOTFOUND'
        ? 'host not found: check the host name in --url'
        : TLS_CODES.has(code)
          ? `its TLS certificate is not trusted (${code}): pass --insecure only if you trust this server`
          : (err as Error).name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT'
            ? `no answer within ${timeoutMs / 1000} s`
            : describeError(err);
  return new TargetError(`cannot reach ${target.display}: ${why}`);
}

export async function probeTarget(target: Target, headers: Record<string, string>, model: string | null, insecure = false, timeoutMs = 10_000): Promise<{ model: string; models: string[] }> {
  const url = target.origin + target.modelsPath;
  let status: number;
  let contentType: string;
  let text: string;
  const dispatcher = checkDispatcher(insecure);
  try {
    const res = await request(url, { method: 'GET', headers, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs), ...(dispatcher && { dispatcher }) });
    status = res.statusCode;
    contentType = String(res.headers['content-type'] ?? '');
    text = await res.body.text();
  } catch (err) {
    throw unreachable(target, err, timeoutMs);
  } finally {
    void dispatcher?.close();
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
