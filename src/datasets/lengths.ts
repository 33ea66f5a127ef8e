import { normal, type Rng } from '../load/rng.js';

/**
 * A token length per request: fixed (`512`), uniform over a range (`256:1024`, both ends
 * included) or normal (`normal:512,128`: rounded, cut at 3 standard deviations and at 1).
 * Each request draws its own length from a seeded generator, so a run is reproducible.
 */
export type LengthSpec =
  | { kind: 'fixed'; value: number }
  | { kind: 'range'; min: number; max: number }
  | { kind: 'normal'; mean: number; stdev: number; min: number; max: number };

const wholeNumber = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s) : NaN);

export function parseLength(input: string | number, flag: string): LengthSpec {
  const text = String(input).trim();
  const bad = (why: string) => new Error(`${flag} ${text}: ${why}`);
  if (text.startsWith('normal:')) {
    const [mean, stdev, more] = text.slice('normal:'.length).split(',').map((p) => Number(p));
    if (more !== undefined || mean === undefined || stdev === undefined || !(mean >= 1) || !(stdev >= 0)) throw bad('expected normal:MEAN,STDEV with MEAN >= 1 and STDEV >= 0, e.g. normal:512,128');
    return { kind: 'normal', mean, stdev, min: Math.max(1, Math.ceil(mean - 3 * stdev)), max: Math.max(1, Math.floor(mean + 3 * stdev)) };
  }
  if (text.includes(':')) {
    const parts = text.split(':');
    const [min, max] = parts.map(wholeNumber);
    if (parts.length !== 2 || !(min! >= 1) || !(max! >= min!)) throw bad('expected MIN:MAX, whole numbers with 1 <= MIN <= MAX, e.g. 256:1024');
    return min === max ? { kind: 'fixed', value: min! } : { kind: 'range', min: min!, max: max! };
  }
  const value = wholeNumber(text);
  if (!(value >= 1)) throw bad('must be a whole number >= 1, a range MIN:MAX or normal:MEAN,STDEV');
  return { kind: 'fixed', value };
}

export function sampleLength(spec: LengthSpec, rng: Rng): number {
  switch (spec.kind) {
    case 'fixed':
      return spec.value;
    case 'range':
      return spec.min + Math.floor(rng() * (spec.max - spec.min + 1));
    case 'normal':
      return Math.min(spec.max, Math.max(spec.min, Math.round(spec.mean + spec.stdev * normal(rng))));
  }
}

export function minLength(spec: LengthSpec): number {
  return spec.kind === 'fixed' ? spec.value : spec.min;
}

export function meanLength(spec: LengthSpec): number {
  return spec.kind === 'fixed' ? spec.value : spec.kind === 'range' ? (spec.min + spec.max) / 2 : spec.mean;
}

export function formatLength(spec: LengthSpec): string {
  if (spec.kind === 'fixed') return String(spec.value);
  if (spec.kind === 'range') return `${spec.min}:${spec.max}`;
  return `normal:${spec.mean},${spec.stdev}`;
}
