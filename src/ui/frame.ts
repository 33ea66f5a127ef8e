import { isClientBound } from '../metrics/client-health.js';
import { percentileMs, type Histogram } from '../metrics/histogram.js';
import { chartLines } from './chart.js';
import { fmtMs, fmtPercent, fmtRate, fmtSeconds, padEnd, padStart, truncate } from './format.js';
import type { LiveRunState, ShownHistograms } from './live-state.js';

export type Tone = 'title' | 'dim' | 'good' | 'warn' | 'bad' | 'accent';
export interface Segment {
  text: string;
  tone?: Tone;
}
export type Line = Segment[];

const seg = (text: string, tone?: Tone): Segment => (tone ? { text, tone } : { text });

function loadText(s: LiveRunState): string {
  const p = s.step?.plan;
  if (!p) return '';
  if (p.mode === 'closed') return `closed loop · ${p.parallel} parallel`;
  const arrival = p.arrival?.kind === 'gamma' ? `gamma:${p.arrival.burstiness}` : (p.arrival?.kind ?? '');
  return `open loop · ${p.rate} req/s ${arrival}${p.parallel !== null ? ` · cap ${p.parallel}` : ''}`;
}

/** Done fraction (0..1) and a "done/total" or "elapsed/duration" label, and seconds left. */
function progress(s: LiveRunState, nowMs: number): { fraction: number; label: string; leftMs: number | null } {
  const p = s.step?.plan;
  const c = s.aggregator?.counters;
  const done = c?.completed ?? 0;
  const elapsed = s.step ? nowMs - s.step.startAt : 0;
  const byCount = p?.number != null ? done / p.number : 0;
  const byTime = p?.durationMs != null ? elapsed / p.durationMs : 0;
  const fraction = Math.min(1, Math.max(byCount, byTime));
  const rate = elapsed > 0 ? done / elapsed : 0;
  let leftMs: number | null = null;
  if (p?.durationMs != null) leftMs = Math.max(0, p.durationMs - elapsed);
  if (p?.number != null && rate > 0) {
    const byRate = (p.number - done) / rate;
    leftMs = leftMs === null ? byRate : Math.min(leftMs, byRate);
  }
  const label = p?.number != null ? `${done}/${p.number}` : `${fmtSeconds(elapsed)}/${fmtSeconds(p?.durationMs ?? 0)}`;
  return { fraction, label, leftMs };
}

function bar(fraction: number, width: number): string {
  const full = Math.round(fraction * width);
  return '█'.repeat(full) + '░'.repeat(Math.max(0, width - full));
}

function pct(h: Histogram, p: number): string {
  return fmtMs(percentileMs(h, p));
}

function latencyRows(s: LiveRunState, openLoop: boolean): Line[] {
  const cum = s.aggregator?.cumulative;
  const recent = s.recentHistograms;
  const metrics: [string, keyof ShownHistograms][] = [
    ['TTFT', 'ttft'],
    ['TPOT', 'tpot'],
    ['ITL', 'itl'],
    ['E2E', 'e2e'],
  ];
  if (openLoop) metrics.push(['queue', 'queue']);
  const cols = (h: Histogram | undefined) => (h ? [50, 90, 99].map((p) => padStart(pct(h, p), 8)).join('') : padStart('-', 8).repeat(3));
  const heads = padStart('p50', 8) + padStart('p90', 8) + padStart('p99', 8);
  const rows: Line[] = [
    [seg(`${padEnd('', 14)}  ${padEnd('last second', 24)}   ${padEnd('whole step', 24)}`, 'dim')],
    [seg(`${padEnd('latency ms', 14)}  ${heads}   ${heads}`, 'dim')],
  ];
  for (const [label, key] of metrics) {
    rows.push([seg(padEnd(label, 14)), seg(`  ${cols(recent[key])}   ${cols(cum?.[key])}`)]);
  }
  return rows;
}

function throughputRows(s: LiveRunState): Line[] {
  const sec = s.recentSeconds();
  const c = s.aggregator?.counters;
  const runSec = s.lastEndMs / 1000;
  const per = (n: number | undefined, seconds: number) => (n === undefined || seconds <= 0 ? null : n / seconds);
  const last = s.recent.at(-1)?.counters;
  const row = (label: string, now: string, run: string): Line => [seg(padEnd(label, 14)), seg(`  ${padStart(now, 11)}   ${padEnd(run, 24)}`)];
  const rows: Line[] = [[seg(`${padEnd('', 14)}  ${padStart('last second', 11)}   ${padEnd('whole step', 24)}`, 'dim')]];
  const meanConc = c && s.lastEndMs > 0 ? c.inFlightMs / s.lastEndMs : null;
  rows.push(row('in flight', `${last?.inFlightNow ?? 0}`, `mean ${fmtRate(meanConc)}, max ${c?.inFlightMax ?? 0}`));
  if (s.step?.plan.mode === 'open') rows.push(row('waiting', `${last?.queuedNow ?? 0}`, 'for a slot under the cap'));
  rows.push(row('req/s', fmtRate(per(s.recentSum((v) => v.counters.succeeded), sec)), fmtRate(per(c?.succeeded, runSec))));
  rows.push(row('output tok/s', fmtRate(per(s.recentSum((v) => v.counters.liveOutputTokens), sec)), fmtRate(per(c?.outputTokens, runSec))));
  const total = (inTok: number, outTok: number) => inTok + outTok;
  rows.push(
    row(
      'total tok/s',
      fmtRate(per(s.recentSum((v) => total(v.counters.inputTokens, v.counters.liveOutputTokens)), sec)),
      fmtRate(per(c ? total(c.inputTokens, c.outputTokens) : undefined, runSec)),
    ),
  );
  if (s.header.slo) {
    const attain = c && c.completed > 0 ? ` (${fmtPercent(c.sloGood / c.completed)} in SLO)` : '';
    rows.push(row('goodput req/s', fmtRate(per(s.recentSum((v) => v.counters.sloGood), sec)), `${fmtRate(per(c?.sloGood, runSec))}${attain}`));
  }
  return rows;
}

function errorLine(s: LiveRunState, width: number): Line {
  const byClass = s.aggregator?.counters.byClass ?? {};
  const parts = Object.entries(byClass).map(([k, v]) => `${k} ${v}`);
  if (parts.length === 0) return [seg(padEnd('errors', 14), 'dim'), seg('none', 'good')];
  const latest = s.latestError ? `   latest: ${s.latestError.message}` : '';
  return [seg(padEnd('errors', 14), 'dim'), seg(parts.join(' · '), 'bad'), seg(truncate(latest, Math.max(0, width - 14 - parts.join(' · ').length)), 'dim')];
}

function healthLine(s: LiveRunState): Line {
  const h = s.recentHealth();
  const text = `loop delay p99 ${fmtMs(h.loopDelayP99Ms)} ms · utilisation ${fmtPercent(h.utilization)}`;
  const out: Line = [seg(padEnd('client', 14), 'dim'), seg(text)];
  if (s.recent.length > 0 && isClientBound(h)) out.push(seg('   CLIENT-BOUND: figures not trustworthy', 'bad'));
  return out;
}

function chartsBlock(s: LiveRunState, width: number): Line[] {
  const openLoop = s.step?.plan.mode === 'open';
  const charts: [string, (number | null)[]][] = [
    ['output tok/s', s.series.map((p) => p.outTokPerSec)],
    ['TTFT p99 ms', s.series.map((p) => p.ttftP99)],
  ];
  if (openLoop) charts.push(['queue p99 ms', s.series.map((p) => p.queueP99)]);
  const height = 6;
  const perRow = width >= 120 && charts.length === 3 ? 3 : 2;
  const gap = 2;
  const w = Math.floor((width - gap * (perRow - 1)) / perRow);
  const lines: Line[] = [];
  for (let i = 0; i < charts.length; i += perRow) {
    const group = charts.slice(i, i + perRow);
    lines.push(group.map(([title], k) => seg(padEnd(title, w) + (k < group.length - 1 ? ' '.repeat(gap) : ''), 'accent')));
    const plotted = group.map(([, values]) => chartLines(values, w, height));
    for (let r = 0; r < height; r++) lines.push([seg(plotted.map((p) => padEnd(p[r] ?? '', w)).join(' '.repeat(gap)).trimEnd())]);
  }
  return lines;
}

/** The whole dashboard as lines of segments, fitted to `width` columns (at least 80). */
export function buildFrame(s: LiveRunState, widthIn: number, nowMs: number): Line[] {
  const width = Math.max(80, widthIn);
  const lines: Line[] = [];
  lines.push([seg('evalperf', 'title'), seg(truncate(`  ${s.header.url}  model ${s.header.model}`, width - 8))]);
  if (s.phase === 'connecting') return [...lines, [seg(`opening ${s.connections} connections…`, 'dim')]];
  if (s.phase === 'warmup') return [...lines, [seg(`warmup: ${s.warmup} requests, not measured…`, 'dim')]];
  const stepText = s.step && s.step.of > 1 ? `   step ${s.step.index + 1}/${s.step.of}` : '';
  const pr = progress(s, nowMs);
  const elapsed = s.step ? nowMs - s.step.startAt : 0;
  lines.push([seg(truncate(`${loadText(s)}${stepText}   ${fmtSeconds(elapsed)} elapsed${pr.leftMs !== null ? ` · ~${fmtSeconds(pr.leftMs)} left` : ''}`, width))]);
  const barWidth = Math.max(10, width - 24);
  lines.push([seg(bar(pr.fraction, barWidth), 'accent'), seg(` ${padStart(pr.label, 12)} ${padStart(fmtPercent(pr.fraction), 5)}`)]);
  lines.push([]);
  lines.push(...throughputRows(s));
  lines.push([]);
  lines.push(...latencyRows(s, s.step?.plan.mode === 'open'));
  lines.push([]);
  lines.push(...chartsBlock(s, width));
  lines.push([]);
  lines.push(errorLine(s, width));
  lines.push(healthLine(s));
  lines.push(footer(s));
  return lines.map((l) => fitLine(l, width));
}

/** Cuts a line of segments to `width` columns, so no row ever wraps on a narrow terminal. */
function fitLine(line: Line, width: number): Line {
  let room = width;
  const out: Line = [];
  for (const s of line) {
    if (room <= 0) break;
    const text = s.text.length > room ? truncate(s.text, room) : s.text;
    out.push({ ...s, text });
    room -= text.length;
  }
  return out;
}

function footer(s: LiveRunState): Line {
  const inFlight = s.recent.at(-1)?.counters.inFlightNow ?? 0;
  if (s.phase === 'stopping') {
    return s.aborting
      ? [seg('aborting in-flight requests…', 'warn')]
      : [seg(`stopping: ${inFlight} in flight finishing · q again to abort them`, 'warn')];
  }
  if (s.phase === 'finished') return [seg('done: writing results…', 'dim')];
  if (s.phase === 'pause' && s.pause) return [seg(`pausing ${fmtSeconds(s.pause.ms)} before step ${s.pause.nextStep + 1}/${s.pause.of} · q: stop`, 'warn')];
  return [seg(`output ${s.header.outDir}`, 'dim'), seg('   q: stop (in-flight finish) · q twice: abort', 'dim')];
}

/** Plain text of a frame (tests, NO_COLOR). */
export function frameText(lines: readonly Line[]): string {
  return lines.map((l) => l.map((x) => x.text).join('')).join('\n');
}
