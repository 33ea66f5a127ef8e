import { Agent, request, type Dispatcher } from 'undici';
import type { Target } from '../config/target.js';
import { cleanMessage, describeError } from './errors.js';

/**
 * The requests sent before any load (list the models, one check request, the logprob check):
 * how each is sent, bounded and closed, and how a target that does not answer is worded, so every
 * check fails the same way with a one-line error that says what to fix.
 */
export class TargetError extends Error {
  override name = 'TargetError';
}

const TLS_CODES = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED']);

/** What a check request got back: the whole body as text, for the caller to judge. */
export interface CheckAnswer {
  status: number;
  contentType: string;
  text: string;
}

/**
 * Sends one check request and reads its whole answer within `timeoutMs`. A target that does not
 * answer is a TargetError saying why (unreachable); any status is returned, not thrown.
 */
export async function checkRequest(
  target: Target,
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  opts: { insecure: boolean; timeoutMs: number },
): Promise<CheckAnswer> {
  const { timeoutMs } = opts;
  const dispatcher = checkDispatcher(opts.insecure);
  try {
    const res = await request(url, { ...init, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs), ...(dispatcher && { dispatcher }) });
    return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), text: await res.body.text() };
  } catch (err) {
    throw unreachable(target, err, timeoutMs);
  } finally {
    // A check's own Agent (--insecure) holds a socket open; the run has its own pool.
    void dispatcher?.close();
  }
}

/** The global dispatcher, or one that skips TLS verification (--insecure). */
function checkDispatcher(insecure: boolean): Dispatcher | undefined {
  return insecure ? new Agent({ connect: { rejectUnauthorized: false } }) : undefined;
}

/** Why a target could not be reached, in words that say what to do. */
function unreachable(target: Target, err: unknown, timeoutMs: number): TargetError {
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

/** An answer that is an HTML page or other text where JSON was due: most often --url is not the API base. */
export function notJson(where: string, contentType: string): TargetError {
  return new TargetError(`${where} answered ${cleanMessage(contentType || 'something', 40)} that is not JSON: check that --url is the API base (it usually ends in /v1)`);
}

/** A 401 or 403: the fix is a key. */
export function wantsCredentials(where: string, status: number): TargetError {
  return new TargetError(`${where} answered HTTP ${status}: the server wants credentials; pass --api-key or set OPENAI_API_KEY`);
}
