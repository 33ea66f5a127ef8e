import type { RequestRecord } from '../metrics/record.js';
import type { StepSeries } from './saved-run.js';

/** Sums of one second of one step. */
interface Second {
  /** Seconds of the bucket that the step covered: 1, except where the step ends mid-second. */
  covered: number;
  succeeded: number;
  failed: number;
  outputTokens: number;
  /** Mean in flight = sum / n: interval samples and their count, or request-seconds and seconds covered. */
  inFlightSum: number;
  inFlightN: number;
  p50Sum: number;
  p50Weight: number;
  p99: number | null;
}

const emptySecond = (): Second => ({ covered: 0, succeeded: 0, failed: 0, outputTokens: 0, inFlightSum: 0, inFlightN: 0, p50Sum: 0, p50Weight: 0, p99: null });
const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

function toSeries(seconds: Map<number, Second>, source: StepSeries['source']): StepSeries {
  const keys = [...seconds.keys()].sort((a, b) => a - b);
  const s: StepSeries = { bucketS: 1, t: [], requestsPerS: [], outputTokensPerS: [], inFlight: [], errorsPerS: [], ttftP50: [], ttftP99: [], source };
  const first = keys[0] ?? 0;
  for (let k = first; keys.length > 0 && k <= keys.at(-1)!; k++) {
    const x = seconds.get(k) ?? { ...emptySecond(), covered: 1 };
    const per = Math.max(x.covered, 0.001);
    s.t.push(k - first);
    s.requestsPerS.push(round(x.succeeded / per, 3));
    s.outputTokensPerS.push(round(x.outputTokens / per, 1));
    s.errorsPerS.push(round(x.failed / per, 3));
    s.inFlight.push(x.inFlightN > 0 ? round(x.inFlightSum / x.inFlightN, 2) : 0);
    s.ttftP50.push(x.p50Weight > 0 ? round(x.p50Sum / x.p50Weight, 3) : null);
    s.ttftP99.push(x.p99);
  }
  return s;
}

function at<T>(list: T[], i: number, make: () => T): T {
  while (list.length <= i) list.push(make());
  return list[i]!;
}

/** One intervals.jsonl line, as far as the series read it. */
export interface IntervalLine {
  step: number;
  t_s: number;
  succeeded: number;
  failed: number;
  output_tokens: number;
  in_flight: number;
  ttft_ms: { p50: number | null; p99: number | null };
}

/**
 * Per-second series from the 250 ms intervals. Counts add up exactly. The intervals carry
 * percentiles, not histograms, so a second's TTFT p50 is the mean of its intervals' p50s
 * weighted by their completions, and its p99 the highest of their p99s (an upper bound).
 */
export class IntervalSeriesBuilder {
  private readonly steps: Map<number, Second>[] = [];

  add(l: IntervalLine): void {
    // An interval (t-0.25, t] belongs to the second it ends in; a last, short one too.
    const sec = Math.max(0, Math.ceil(l.t_s - 1e-9) - 1);
    const seconds = at(this.steps, l.step, () => new Map<number, Second>());
    let x = seconds.get(sec);
    if (!x) seconds.set(sec, (x = emptySecond()));
    x.covered = Math.max(x.covered, Math.min(1, l.t_s - sec));
    x.succeeded += l.succeeded;
    x.failed += l.failed;
    x.outputTokens += l.output_tokens;
    x.inFlightSum += l.in_flight;
    x.inFlightN++;
    const { p50, p99 } = l.ttft_ms;
    if (p50 !== null) {
      const w = Math.max(1, l.succeeded);
      x.p50Sum += p50 * w;
      x.p50Weight += w;
    }
    if (p99 !== null) x.p99 = Math.max(x.p99 ?? 0, p99);
  }

  finish(): StepSeries[] {
    return this.steps.map((s) => toSeries(s, 'intervals'));
  }
}

/**
 * Per-second series from the records alone (a run that left no intervals.jsonl). Times are
 * run-relative and bucketed on the run's seconds. Without per-interval histograms there is no
 * per-second TTFT; tokens count when their request ends.
 */
export class RecordSeriesBuilder {
  private readonly steps: { seconds: Map<number, Second>; lastEnd: number }[] = [];

  add(r: RequestRecord): void {
    const step = at(this.steps, r.step, () => ({ seconds: new Map<number, Second>(), lastEnd: -Infinity }));
    const get = (sec: number) => {
      let x = step.seconds.get(sec);
      if (!x) step.seconds.set(sec, (x = { ...emptySecond(), covered: 1, inFlightN: 1 }));
      return x;
    };
    const end = get(Math.floor(r.endAt / 1000));
    if (r.errorClass === null) {
      end.succeeded++;
      end.outputTokens += r.outputTokens;
    } else end.failed++;
    step.lastEnd = Math.max(step.lastEnd, r.endAt);
    if (!Number.isFinite(r.sentAt)) return;
    // Time-weighted requests in flight: the request's share of each second it spans.
    for (let sec = Math.floor(r.sentAt / 1000); sec * 1000 < r.endAt; sec++) {
      const from = Math.max(r.sentAt, sec * 1000);
      const to = Math.min(r.endAt, (sec + 1) * 1000);
      get(sec).inFlightSum += (to - from) / 1000;
    }
  }

  finish(): StepSeries[] {
    return this.steps.map(({ seconds, lastEnd }) => {
      const lastSec = Math.floor(lastEnd / 1000);
      const last = seconds.get(lastSec);
      if (last) {
        last.covered = Math.max(0.001, lastEnd / 1000 - lastSec);
        last.inFlightN = last.covered;
      }
      return toSeries(seconds, 'requests');
    });
  }
}

/** Merges every `factor` consecutive points into one, so a long run stays a small page. */
export function coarsen(s: StepSeries, factor: number): StepSeries {
  if (factor <= 1) return s;
  const mean = (xs: number[]) => round(xs.reduce((a, b) => a + b, 0) / xs.length, 3);
  const nums = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);
  const out: StepSeries = { ...s, bucketS: s.bucketS * factor, t: [], requestsPerS: [], outputTokensPerS: [], inFlight: [], errorsPerS: [], ttftP50: [], ttftP99: [] };
  for (let i = 0; i < s.t.length; i += factor) {
    const slice = <T>(xs: T[]) => xs.slice(i, i + factor);
    out.t.push(s.t[i]!);
    out.requestsPerS.push(mean(slice(s.requestsPerS)));
    out.outputTokensPerS.push(mean(slice(s.outputTokensPerS)));
    out.inFlight.push(mean(slice(s.inFlight)));
    out.errorsPerS.push(mean(slice(s.errorsPerS)));
    const p50 = nums(slice(s.ttftP50));
    const p99 = nums(slice(s.ttftP99));
    out.ttftP50.push(p50.length > 0 ? mean(p50) : null);
    out.ttftP99.push(p99.length > 0 ? Math.max(...p99) : null);
  }
  return out;
}
