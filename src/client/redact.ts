/**
 * Secrets the client sends (API key, auth headers) must never reach an output: a server may echo
 * them in an error body. Every message that leaves a worker passes through `redact`.
 */
const SENSITIVE_HEADER = /^(authorization|proxy-authorization|x-api-key|api-key|cookie|x-auth-token)$/i;

/** Query parameters that carry credentials (`?api_key=`, `?sig=`...). */
export const SECRET_PARAM = /key|token|secret|sig|pass|auth|credential/i;

/** The values of credential-like query parameters of a request path. */
function secretQueryValues(path: string): string[] {
  const q = path.indexOf('?');
  if (q < 0) return [];
  return [...new URLSearchParams(path.slice(q + 1))].filter(([k, v]) => SECRET_PARAM.test(k) && v.length >= 4).map(([, v]) => v);
}

/** The secret values in a set of request headers (a bearer token also without its scheme). */
export function secretValues(headers: Readonly<Record<string, string>>, path = ''): string[] {
  const out = new Set<string>(secretQueryValues(path));
  for (const [name, value] of Object.entries(headers)) {
    if (!SENSITIVE_HEADER.test(name) || value.length < 4) continue;
    out.add(value);
    const token = /^\S+\s+(\S{4,})$/.exec(value)?.[1];
    if (token) out.add(token);
  }
  // Longest first, so a token inside "Bearer <token>" is not half-replaced.
  return [...out].sort((a, b) => b.length - a.length);
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('***');
  return out;
}
