import type { Target } from '../config/target.js';
import { checkRequest, notJson, TargetError, wantsCredentials } from './check-request.js';

/**
 * Checks the target before any load is sent, and finds the model when none was given:
 * GET <base>/models. Fails fast with a one-line error that says what to fix.
 */
export async function probeTarget(target: Target, headers: Record<string, string>, model: string | null, insecure = false, timeoutMs = 10_000): Promise<{ model: string; models: string[] }> {
  const url = target.origin + target.modelsPath;
  const { status, contentType, text } = await checkRequest(target, url, { method: 'GET', headers }, { insecure, timeoutMs });
  if (status === 401 || status === 403) throw wantsCredentials(url, status);
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
    throw notJson(url, contentType);
  }
  if (model !== null) return { model, models: ids };
  if (ids.length === 0) throw new TargetError(`${url} lists no models: pass --model`);
  return { model: ids[0]!, models: ids };
}
