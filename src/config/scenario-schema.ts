import { z } from 'zod';
import { closest } from './suggest.js';

/**
 * One option a scenario file may set, as the command line declares it. The CLI derives these
 * from the command's yargs options, so a flag added there is a valid scenario key at once.
 */
export interface OptionSpec {
  /** The flag's name without dashes, as typed: `input-tokens`. */
  name: string;
  /** 'any': declared without a type (yargs then takes what it is given). */
  type: 'string' | 'number' | 'boolean' | 'any';
  /** Takes several values (`--parallel 1 4 16`): a scenario gives a scalar or a list. */
  array: boolean;
  choices: readonly (string | number)[] | null;
}

function element(o: OptionSpec): z.ZodType {
  if (o.choices !== null && o.choices.length > 0) return z.literal(o.choices as (string | number)[]);
  switch (o.type) {
    case 'number':
      return z.number(); // finite: YAML's .inf and .nan are refused
    case 'boolean':
      return z.boolean();
    case 'string':
      // `input-tokens: 512` and `pause: 0` are numbers to YAML; the CLI gets them as text too.
      return z.union([z.string(), z.number().transform(String)]);
    case 'any':
      return z.union([z.string(), z.number(), z.boolean()]);
  }
}

function valueSchema(o: OptionSpec): z.ZodType {
  const one = element(o);
  if (o.array) return z.union([z.array(one).min(1), one.transform((v) => [v])]);
  // A mapping for a text option is its JSON: `extra-body: {top_p: 0.9}` reads as it is meant.
  if (o.type === 'string' && o.choices === null) return z.union([one, z.record(z.string(), z.unknown()).transform((v) => JSON.stringify(v))]);
  return one;
}

/** Values come out normalized as the CLI would hand them over: lists for array options, text for strings. */
export function scenarioSchema(options: readonly OptionSpec[]) {
  const shape: Record<string, z.ZodType> = { description: z.string().optional() };
  for (const o of options) shape[o.name] = valueSchema(o).optional();
  return z.strictObject(shape);
}

/** What a key takes, in words: the "expected ..." of its error. */
export function expectation(o: OptionSpec): string {
  const quoted = o.choices?.map((c) => JSON.stringify(c)).join(', ');
  const [one, many] = quoted
    ? [`one of ${quoted}`, 'a list of them']
    : o.type === 'number'
      ? ['a number', 'a list of numbers']
      : o.type === 'boolean'
        ? ['true or false', 'a list of them']
        : o.type === 'string'
          ? ['text', 'a list of texts']
          : ['a value', 'a list of values'];
  return o.array ? `${one} or ${many}` : one;
}

// `header: x-a: b` or `- x-a: b` reads as a mapping to YAML: the fix is quotes.
const QUOTE_HINT = ' (quote a value that holds ": ")';

/** A value as a message shows it, short. */
function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing (give a value, or delete the line)';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (Array.isArray(v)) {
    if (v.length === 0) return 'an empty list';
    const text = JSON.stringify(v);
    return `the list ${text.length > 60 ? `${text.slice(0, 60)}…` : text}${v.some((e) => typeof e === 'object' && e !== null) ? QUOTE_HINT : ''}`;
  }
  if (typeof v === 'object') return `a mapping${QUOTE_HINT}`;
  return String(v);
}

/** The error for a bad value of a known key, without its location. */
export function badValue(key: string, o: OptionSpec | undefined, value: unknown): string {
  const wanted = o === undefined ? 'text' : expectation(o);
  let hint = '';
  if (o?.choices && typeof value === 'string') {
    const near = closest(value, o.choices.map(String));
    if (near !== null) hint = ` (did you mean "${near}"?)`;
  }
  return `${key}: expected ${wanted}, got ${describeValue(value)}${hint}`;
}
