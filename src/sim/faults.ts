import { createRng, type Rng } from '../load/rng.js';

/**
 * Faults the simulator can inject, for testing how a client classifies them. Each request draws
 * at most one fault, from a seeded generator in arrival order. The client-side class each one
 * must produce is in EXPECTED_CLASS (the contract in DESIGN.md).
 */
export const FAULT_KINDS = [
  '500', // HTTP 500 with an error body
  '503', // HTTP 503 with an error body
  '429', // HTTP 429 with retry-after
  '400', // HTTP 400 with an error body
  'error-200', // HTTP 200 whose body is an error object, not a stream
  'error-event', // an error event inside the stream, after half the tokens
  'reset', // connection reset before any header
  'reset-mid', // connection reset after half the tokens
  'malformed', // a data line with broken JSON, after half the tokens
  'truncated', // the stream ends after its last token, without finish chunk or [DONE]
  'stall', // headers, then silence until the client gives up
  'slow-headers', // headers after SLOW_HEADERS_MS, then a normal stream
  'huge-chunk', // every event of the response in one write
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const SLOW_HEADERS_MS = 300;

/** What evalperf must record for each fault (null: the request succeeds). */
export const EXPECTED_CLASS: Record<FaultKind, string | null> = {
  '500': 'http_5xx',
  '503': 'http_5xx',
  '429': 'http_429',
  '400': 'http_4xx',
  'error-200': 'api_error',
  'error-event': 'api_error',
  reset: 'reset',
  'reset-mid': 'reset',
  malformed: 'protocol',
  truncated: 'protocol',
  stall: 'timeout',
  'slow-headers': null,
  'huge-chunk': null,
};

export interface FaultRate {
  kind: FaultKind;
  p: number;
}

/** `500:0.02,429:0.01,reset:0.01` -> rates; the probabilities must sum to at most 1. */
export function parseFaults(text: string): FaultRate[] {
  const out: FaultRate[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const i = part.lastIndexOf(':');
    const kind = (i > 0 ? part.slice(0, i) : part) as FaultKind;
    const p = i > 0 ? Number(part.slice(i + 1)) : NaN;
    if (!FAULT_KINDS.includes(kind)) throw new Error(`--faults ${JSON.stringify(part)}: unknown fault; choose from ${FAULT_KINDS.join(', ')}`);
    if (!(p > 0 && p <= 1)) throw new Error(`--faults ${JSON.stringify(part)}: expected kind:probability with 0 < probability <= 1, e.g. 500:0.02`);
    out.push({ kind, p });
  }
  const problem = faultRatesProblem(out);
  if (problem !== null) throw new Error(`--faults: ${problem}`);
  return out;
}

/** Why a list of fault rates cannot be used (the flag and a config object alike), or null. */
export function faultRatesProblem(rates: readonly FaultRate[]): string | null {
  if (!rates.every((f) => FAULT_KINDS.includes(f?.kind) && f.p > 0 && f.p <= 1)) return 'must be a list of {kind, p} with a known kind and 0 < p <= 1';
  const total = rates.reduce((a, f) => a + f.p, 0);
  return total > 1 + 1e-9 ? `probabilities add up to ${total.toFixed(3)}, more than 1` : null;
}

/** Draws each request's fault (or none) from a seeded generator. */
export class FaultPicker {
  private readonly rng: Rng;

  constructor(
    private readonly rates: readonly FaultRate[],
    seed: number,
  ) {
    this.rng = createRng((seed ^ 0x5eed_fa17) >>> 0);
  }

  pick(): FaultKind | null {
    if (this.rates.length === 0) return null;
    let u = this.rng();
    for (const f of this.rates) {
      if (u < f.p) return f.kind;
      u -= f.p;
    }
    return null;
  }
}
