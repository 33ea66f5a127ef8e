import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Argv } from 'yargs';
import { parseScenario, ScenarioError, type Scenario } from '../config/scenario.js';
import type { OptionSpec } from '../config/scenario-schema.js';

/**
 * `--scenario FILE.yaml`: the file's keys are the command's flags. yargs loads it as a config
 * file, so the precedence is yargs' own: a flag on the command line, else the file, else the
 * flag's default. The keys allowed are read from the command's yargs options when the file is
 * parsed, so a flag added to the command is a valid key without a change here.
 */
const SCENARIO_HELP =
  'a YAML file of these options, keyed as the flags without dashes (parallel: [1, 4, 16], slo: ttft<=500ms); flags given here override it (examples in scenarios/)';

/** The part of yargs' getOptions() that says what each option takes. */
export interface YargsOptionTable {
  key: Record<string, unknown>;
  array: string[];
  boolean: string[];
  number: string[];
  string: string[];
  count: string[];
  choices: Record<string, (string | number)[] | undefined>;
}

/** yargs' own options and the scenario flag itself are not keys of a scenario. */
const NOT_KEYS = new Set(['help', 'version', 'scenario']);

export function optionSpecs(o: YargsOptionTable): OptionSpec[] {
  return Object.keys(o.key)
    .filter((name) => !NOT_KEYS.has(name))
    .map((name) => ({
      name,
      type: o.boolean.includes(name) ? 'boolean' : o.number.includes(name) || o.count.includes(name) ? 'number' : o.string.includes(name) ? 'string' : 'any',
      array: o.array.includes(name),
      // yargs appends the choices of an option declared twice (as run does with --api): once each.
      choices: o.choices[name] ? [...new Set(o.choices[name])] : null,
    }));
}

export const yargsOptions = (y: Argv<unknown>): YargsOptionTable => (y as unknown as { getOptions(): YargsOptionTable }).getOptions();

/** Scenarios yargs has loaded in this process, by absolute path: the run reads lines and description here. */
const loaded = new Map<string, Scenario>();

/** Adds --scenario to a command; call it before or after the other options, they are read at parse time. */
export function withScenario<T>(y: Argv<T>, read: (path: string) => string = (p) => readFileSync(p, 'utf8')): Argv<T & { scenario: string | undefined }> {
  return y.option('scenario', {
    type: 'string',
    describe: SCENARIO_HELP,
    config: true,
    // yargs hands over the path resolved against the working directory. A throw here is a
    // parse error: main prints its message, exit 2.
    configParser: (path: string) => {
      const scenario = loadScenario(path, optionSpecs(yargsOptions(y as Argv<unknown>)), read);
      loaded.set(path, scenario);
      return structuredClone(scenario.values);
    },
  });
}

function loadScenario(absPath: string, options: readonly OptionSpec[], read: (path: string) => string): Scenario {
  const shown = displayPath(absPath);
  let text: string;
  try {
    text = read(absPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ScenarioError(`--scenario ${shown}: no such file`);
    if (code === 'EISDIR') throw new ScenarioError(`--scenario ${shown} is a folder: name a .yaml file in it`);
    throw new ScenarioError(`--scenario ${shown}: cannot read it (${(e as Error).message})`);
  }
  return parseScenario(text, shown, options);
}

/** The path as the person likely typed it: relative below the working directory, else absolute. */
function displayPath(absPath: string): string {
  const rel = relative(process.cwd(), absPath);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absPath;
}

/** The scenario yargs loaded for these arguments, or null when there is none. */
export function scenarioOf(args: { scenario?: string }): Scenario | null {
  return args.scenario === undefined ? null : (loaded.get(resolve(args.scenario)) ?? null);
}

/**
 * A plan error is worded for flags (`--duration "soon": ...`). When the value came from the
 * scenario (the command line did not override it), point at the file's line as well.
 */
export function pointAtScenario(message: string, scenario: Scenario | null, args: Record<string, unknown>): string {
  const flag = /^--([a-z][a-z0-9-]*)/.exec(message)?.[1];
  if (scenario === null || flag === undefined || !(flag in scenario.values)) return message;
  if (!isDeepStrictEqual(args[flag], scenario.values[flag])) return message;
  return `${scenario.path}:${scenario.lines[flag]}: ${message}`;
}
