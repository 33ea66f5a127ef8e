import { basename } from 'node:path';
import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import { buildRunPlan, type PlanOptions } from '../config/run-plan.js';
import { parseScenario } from '../config/scenario.js';
import type { OptionSpec } from '../config/scenario-schema.js';
import { runCommandSpec, runFlags } from './run-flags.js';
import { optionSpecs, pointAtScenario, scenarioOf, withScenario, yargsOptions } from './scenario-flag.js';

/** Files by name, read through the injected reader: no disk, no clock. */
function reader(files: Record<string, string>) {
  return (path: string) => {
    const text = files[basename(path)];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  };
}

/** `evalperf run` arguments as yargs parses them, with --scenario reading from `files`. */
function parse(args: string[], files: Record<string, string> = {}, extra: (y: ReturnType<typeof yargs>) => ReturnType<typeof yargs> = (y) => y) {
  const y = extra(runFlags(withScenario(yargs(args), reader(files))));
  return y
    .strict()
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new Error(msg);
    })
    .parseSync() as Record<string, unknown>;
}

const SWEEP = 'description: a sweep\nparallel: [1, 4]\nseed: 7\ntui: false\ninput-tokens: 512\narrival: constant\nwarmup: 3\n';

describe('--scenario: the command line beats the file, the file beats the defaults', () => {
  it('without a scenario the defaults apply', () => {
    const a = parse([]);
    expect(a).toMatchObject({ seed: 1, tui: true, arrival: 'poisson', warmup: 0 });
    expect(a.parallel).toBeUndefined();
  });

  it('the file\'s values replace the defaults, under both spellings yargs gives', () => {
    const a = parse(['--scenario', 's.yaml'], { 's.yaml': SWEEP });
    expect(a).toMatchObject({ parallel: [1, 4], seed: 7, tui: false, 'input-tokens': '512', inputTokens: '512', arrival: 'constant', warmup: 3 });
    expect(a).not.toHaveProperty('description');
  });

  it.each<[string, string[], Record<string, unknown>]>([
    ['a number', ['--seed', '3'], { seed: 3 }],
    ['a list', ['--parallel', '8', '16'], { parallel: [8, 16] }],
    ['a flag set to its default', ['--seed', '1'], { seed: 1 }],
    ['a boolean', ['--tui'], { tui: true }],
    ['text', ['--input-tokens', '64:128'], { inputTokens: '64:128' }],
  ])('a flag on the command line wins: %s', (_, flags, expected) => {
    const a = parse(['--scenario', 's.yaml', ...flags], { 's.yaml': SWEEP });
    expect(a).toMatchObject(expected);
    // The keys not given on the command line still come from the file.
    expect(a).toMatchObject({ arrival: 'constant', warmup: 3 });
  });

  it('--no-tui beats tui: true', () => {
    expect(parse(['--scenario', 's.yaml', '--no-tui'], { 's.yaml': 'tui: true\n' }).tui).toBe(false);
  });

  it('the plan is built from the merged options', () => {
    const files = { 'o.yaml': 'rate: [5, 10]\nparallel: 64\nduration: 2s\nslo: ttft<=1s\n' };
    const plan = buildRunPlan(parse(['--scenario', 'o.yaml'], files) as unknown as PlanOptions, {}, 2);
    expect(plan.steps.map((s) => [s.mode, s.rate, s.parallel, s.durationMs])).toEqual([
      ['open', 5, 64, 2000],
      ['open', 10, 64, 2000],
    ]);
    expect(plan.slo).not.toBeNull();
    const one = buildRunPlan(parse(['--scenario', 'o.yaml', '--rate', '1', '--duration', '1s'], files) as unknown as PlanOptions, {}, 2);
    expect(one.steps.map((s) => [s.rate, s.parallel, s.durationMs])).toEqual([[1, 64, 1000]]);
  });

  it('the run finds the scenario yargs loaded: its description and lines', () => {
    const a = parse(['--scenario', 'lines.yaml'], { 'lines.yaml': SWEEP });
    expect(scenarioOf(a)).toMatchObject({ path: 'lines.yaml', description: 'a sweep', lines: { parallel: 2, seed: 3 } });
    expect(scenarioOf({})).toBeNull();
  });

  it.each([
    [['--scenario', 'bad.yaml'], { 'bad.yaml': 'parallel: 2\nparalel: 4\n' }, 'bad.yaml:2: unknown key "paralel" (did you mean "parallel"?)'],
    [['--scenario', 'missing.yaml'], {}, '--scenario missing.yaml: no such file'],
    // A bad value the command line replaces is still an error: the file is checked whole.
    [['--scenario', 'bad.yaml', '--parallel', '2'], { 'bad.yaml': 'parallel: lots\n' }, 'bad.yaml:1: parallel: expected a number or a list of numbers, got "lots"'],
  ])('%j fails with the file\'s message', (args, files, message) => {
    expect(() => parse(args, files)).toThrow(message);
  });
});

describe('scenario keys come from the command\'s yargs options', () => {
  const sample = (o: OptionSpec) => (o.choices ? String(o.choices[0]) : o.type === 'number' ? '1' : o.type === 'boolean' ? 'true' : 'x');

  it('every option of evalperf run is a valid key, typed as the flag', () => {
    const table = yargsOptions(runCommandSpec.builder(yargs([])));
    const specs = optionSpecs(table);
    const names = specs.map((s) => s.name);
    expect(names.sort()).toEqual(Object.keys(table.key).filter((k) => !['help', 'version', 'scenario'].includes(k)).sort());
    expect(specs.find((s) => s.name === 'parallel')).toEqual({ name: 'parallel', type: 'number', array: true, choices: null });
    const api = specs.find((s) => s.name === 'api')!.choices!;
    expect(api).toContain('chat');
    expect(new Set(api).size).toBe(api.length);
    const text = specs.map((s) => `${s.name}: ${sample(s)}`).join('\n');
    expect(Object.keys(parseScenario(text, 'all.yaml', specs).values).sort()).toEqual(names);
  });

  it('a flag added to the command later is a key at once, checked by its type', () => {
    const turns = (y: ReturnType<typeof yargs>) => y.option('turns', { type: 'number' });
    expect(parse(['--scenario', 't.yaml'], { 't.yaml': 'turns: 3\n' }, turns).turns).toBe(3);
    expect(() => parse(['--scenario', 't.yaml'], { 't.yaml': 'turns: many\n' }, turns)).toThrow('t.yaml:1: turns: expected a number, got "many"');
  });
});

describe('pointAtScenario', () => {
  const scenario = { path: 's.yaml', description: null, values: { duration: 'soon', parallel: [1, 2] }, lines: { duration: 4, parallel: 2 } };
  it.each<[string, Record<string, unknown>, string]>([
    ['--duration "soon": expected a duration', { duration: 'soon' }, 's.yaml:4: --duration "soon": expected a duration'],
    ['--parallel 0: must be a whole number >= 1', { parallel: [1, 2] }, 's.yaml:2: --parallel 0: must be a whole number >= 1'],
    // The command line replaced the file's value: the message is about the flag.
    ['--duration "later": expected a duration', { duration: 'later' }, '--duration "later": expected a duration'],
    // Not a key of the file, or not about one flag.
    ['--rate -1: must be a number > 0', { rate: [-1] }, '--rate -1: must be a number > 0'],
    ['something else', {}, 'something else'],
  ])('%s', (message, args, expected) => {
    expect(pointAtScenario(message, scenario, args)).toBe(expected);
  });

  it('leaves messages alone without a scenario', () => {
    expect(pointAtScenario('--duration "soon": x', null, { duration: 'soon' })).toBe('--duration "soon": x');
  });
});
