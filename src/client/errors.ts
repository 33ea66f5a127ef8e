import type { ErrorClass } from '../metrics/record.js';

/** Our own abort reasons, so a deadline and a user's stop are told apart from network errors. */
export class RequestTimeoutError extends Error {
  override name = 'RequestTimeoutError';
}
export class RequestAbortedError extends Error {
  override name = 'RequestAbortedError';
}

export function classifyStatus(status: number): ErrorClass | null {
  if (status >= 200 && status < 300) return null;
  if (status === 429) return 'http_429';
  if (status >= 400 && status < 500) return 'http_4xx';
  if (status >= 500) return 'http_5xx';
  return 'protocol';
}

/** Maps a transport error to a failure class. `sent` says whether the request reached a socket. */
export function classifyError(err: unknown, sent: boolean): ErrorClass {
  if (err instanceof RequestTimeoutError) return 'timeout';
  if (err instanceof RequestAbortedError) return 'aborted';
  const code = (err as { code?: string } | null)?.code ?? '';
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'CERT_HAS_EXPIRED':
      return 'connect';
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return 'timeout';
    case 'UND_ERR_ABORTED':
    case 'UND_ERR_DESTROYED':
    case 'UND_ERR_CLOSED':
      return 'aborted';
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_CHUNK_SIZE':
    case 'HPE_INVALID_HEADER_TOKEN':
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return 'protocol';
    default:
      return sent ? 'reset' : 'connect';
  }
}

/** Server-provided text is untrusted: control characters out, length capped. */
export function cleanMessage(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: string }).code;
    return cleanMessage(code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message);
  }
  return cleanMessage(String(err));
}

/** The message of an OpenAI-style error body, or the start of whatever the body was. */
export function errorBodyMessage(status: number, body: string): string {
  try {
    const j = JSON.parse(body) as { error?: unknown; message?: unknown; detail?: unknown };
    const e = j.error;
    if (typeof e === 'string') return cleanMessage(`HTTP ${status}: ${e}`);
    if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') {
      return cleanMessage(`HTTP ${status}: ${(e as { message: string }).message}`);
    }
    if (typeof j.message === 'string') return cleanMessage(`HTTP ${status}: ${j.message}`);
    if (typeof j.detail === 'string') return cleanMessage(`HTTP ${status}: ${j.detail}`);
  } catch {
    // not JSON: fall through to the raw text
  }
  return cleanMessage(body.trim() ? `HTTP ${status}: ${body}` : `HTTP ${status}`);
}
