import type { Histogram } from '../metrics/histogram.js';
import type { LatencyMetric } from '../metrics/recorder.js';
import type { StepSummary } from '../metrics/summary.js';

/**
 * A step as summary.json holds it. A summary rebuilt from requests.jsonl has null client
 * health (it was measured live and never written per request); renderers say "unknown".
 */
export type SavedStep = Omit<StepSummary, 'client'> & {
  client: { [K in keyof StepSummary['client']]: StepSummary['client'][K] | null };
};

/** summary.json (DESIGN.md, Output contract); keys other than these are kept as they are. */
export interface SummaryDoc {
  schema: string;
  tool?: { name: string; version: string };
  target?: { url: string; model: string; api: string };
  started_at?: string;
  ended_at?: string;
  stopped?: string;
  /** The sweep ended early on --stop-on-slo. */
  slo_stop?: { step: number; attainment: number; floor: number; skipped: number } | null;
  /** Set when the summary was rebuilt: what from, and what could not be recovered. */
  rebuilt_from?: string;
  not_recovered?: string[];
  steps: SavedStep[];
  [key: string]: unknown;
}

/** A step's latency histograms (microseconds), as far as they were recorded. */
export type RunHistograms = Partial<Record<LatencyMetric, Histogram>>;

/** One example of a failure class, from requests.jsonl. */
export interface ErrorExample {
  step: number;
  index: number;
  status: number;
  message: string;
}

export interface ErrorDigest {
  errorClass: string;
  count: number;
  /** Failures of this class per step index. */
  byStep: Record<number, number>;
  examples: ErrorExample[];
}

/** Per-second figures of one step (bucketS seconds per point when a step is long). */
export interface StepSeries {
  bucketS: number;
  /** Start of each bucket, seconds after the step's start. */
  t: number[];
  requestsPerS: number[];
  outputTokensPerS: number[];
  inFlight: number[];
  errorsPerS: number[];
  ttftP50: (number | null)[];
  ttftP99: (number | null)[];
  source: 'intervals' | 'requests';
}

/** Everything a report is built from, read from one run folder. */
export interface RunData {
  dir: string;
  run: Record<string, unknown> | null;
  summary: SummaryDoc;
  /** Histograms per step index; null when histograms.json is missing. */
  histograms: RunHistograms[] | null;
  series: StepSeries[];
  errors: ErrorDigest[];
  /** The summary (and histograms) were rebuilt here and are not yet on disk. */
  rebuilt: boolean;
  /** eval.json of an accuracy run, when there is one. */
  accuracy: unknown;
  notes: string[];
}
