import type { Slo } from '../metrics/derive.js';
import { parseDuration } from './duration.js';

/** `ttft<=500ms,tpot<=50ms,e2e<=20s` -> bounds in ms. */
export function parseSlo(text: string): Slo {
  const slo: Slo = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(ttft|tpot|e2e)\s*<=?\s*(.+)$/i.exec(part);
    if (!m) throw new Error(`--slo ${JSON.stringify(part)}: expected metric<=duration with metric ttft, tpot or e2e, e.g. ttft<=500ms,tpot<=50ms`);
    const key = m[1]!.toLowerCase() as keyof Slo;
    if (slo[key] !== undefined) throw new Error(`--slo names ${key} twice`);
    slo[key] = parseDuration(m[2]!.trim(), `--slo ${key}`);
  }
  if (Object.keys(slo).length === 0) throw new Error('--slo is empty: e.g. --slo ttft<=500ms,tpot<=50ms');
  return slo;
}
