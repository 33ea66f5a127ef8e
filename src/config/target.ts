/**
 * `--url` takes a base URL (`http://host:8000/v1`) or a full endpoint
 * (`http://host:8000/v1/chat/completions`). This resolves it to the endpoint to POST to and the
 * models listing next to it.
 */
export type ApiKind = 'chat' | 'completions' | 'embeddings' | 'rerank';

/** Endpoints that score or embed their input and generate nothing: no tokens out, no TTFT. */
export const isPooling = (api: ApiKind): boolean => api === 'embeddings' || api === 'rerank';

export interface Target {
  /** What the user gave, without credentials, for display and run.json. */
  display: string;
  origin: string;
  /** Path (and query) of the generation endpoint. */
  endpointPath: string;
  modelsPath: string;
  api: ApiKind;
}

const ENDPOINTS: Record<ApiKind, string> = { chat: '/chat/completions', completions: '/completions', embeddings: '/embeddings', rerank: '/rerank' };

import { SECRET_PARAM } from '../client/redact.js';


/** Credential-like query values are shown as ***. */
function displayQuery(u: URL): string {
  if (!u.search) return '';
  const shown = new URLSearchParams();
  for (const [k, v] of u.searchParams) shown.append(k, SECRET_PARAM.test(k) ? '***' : v);
  return `?${shown.toString().replace(/%2A%2A%2A/g, '***')}`;
}

export function resolveTarget(url: string, api: ApiKind | null): Target {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`--url ${JSON.stringify(url)} is not a URL: give a base URL like http://127.0.0.1:8000/v1`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new Error(`--url ${url}: only http:// and https:// are supported`);
  }
  if (u.username || u.password) {
    throw new Error('--url must not carry credentials: pass the key with --api-key or OPENAI_API_KEY');
  }
  const path = u.pathname.replace(/\/+$/, '');
  const query = u.search;
  for (const kind of ['chat', 'completions', 'embeddings', 'rerank'] as const) {
    const suffix = ENDPOINTS[kind];
    if (path.endsWith(suffix) && !(kind === 'completions' && path.endsWith(ENDPOINTS.chat))) {
      if (api !== null && api !== kind) {
        throw new Error(`--url ends in ${suffix} but --api is ${api}: drop one of them, or give the base URL`);
      }
      const base = path.slice(0, -suffix.length);
      return { display: u.origin + path + displayQuery(u), origin: u.origin, endpointPath: path + query, modelsPath: `${base}/models${query}`, api: kind };
    }
  }
  const kind = api ?? 'chat';
  return {
    display: u.origin + path + displayQuery(u),
    origin: u.origin,
    endpointPath: path + ENDPOINTS[kind] + query,
    modelsPath: `${path}/models${query}`,
    api: kind,
  };
}
