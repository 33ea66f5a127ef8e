import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from './scenario.js';
import type { OptionSpec } from './scenario-schema.js';

// The kinds of option the run command has, declared as yargs declares them.
const OPTIONS: OptionSpec[] = [
  { name: 'parallel', type: 'number', array: true, choices: null },
  { name: 'temperature', type: 'number', array: false, choices: null },
  { name: 'header', type: 'string', array: true, choices: null },
  { name: 'input-tokens', type: 'string', array: false, choices: null },
  { name: 'slo', type: 'string', array: false, choices: null },
  { name: 'extra-body', type: 'string', array: false, choices: null },
  { name: 'tui', type: 'boolean', array: false, choices: null },
  { name: 'api', type: 'any', array: false, choices: ['chat', 'completions'] },
  { name: 'untyped', type: 'any', array: false, choices: null },
];

const parse = (text: string) => parseScenario(text, 's.yaml', OPTIONS);
const fails = (text: string) => {
  try {
    parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
};

describe('parseScenario: good files', () => {
  it.each<[string, string, Record<string, unknown>]>([
    ['a list for an array option', 'parallel: [1, 4, 16]', { parallel: [1, 4, 16] }],
    ['a block list', 'parallel:\n  - 1\n  - 4\n', { parallel: [1, 4] }],
    ['a scalar for an array option becomes a list of one', 'parallel: 8', { parallel: [8] }],
    ['a number for a text option becomes its text', 'input-tokens: 512', { 'input-tokens': '512' }],
    ['a range stays text (YAML 1.2: no base-60 numbers)', 'input-tokens: 256:1024', { 'input-tokens': '256:1024' }],
    ['an SLO list needs no quotes', 'slo: ttft<=500ms,tpot<=50ms', { slo: 'ttft<=500ms,tpot<=50ms' }],
    ['a mapping for a text option is its JSON', 'extra-body: {top_p: 0.9, stop: ["\\n"]}', { 'extra-body': '{"top_p":0.9,"stop":["\\n"]}' }],
    ['quoted headers in a list', 'header: ["x-a: 1", "x-b: 2"]', { header: ['x-a: 1', 'x-b: 2'] }],
    ['a boolean', 'tui: false', { tui: false }],
    ['a choice', 'api: completions', { api: 'completions' }],
    ['an untyped option takes a scalar', 'untyped: 3', { untyped: 3 }],
    ['a fraction', 'temperature: 0.7', { temperature: 0.7 }],
    ['comments only around values', '# a comment\nparallel: 2 # two users\n', { parallel: [2] }],
  ])('%s', (_, text, values) => {
    expect(parse(text).values).toEqual(values);
  });

  it('keeps the description apart from the options, and each key\'s line', () => {
    const s = parse('# why\ndescription: >\n  a sweep\n  of chat\nparallel: [1, 2]\n\nslo: ttft<=1s\n');
    expect(s).toEqual({ path: 's.yaml', description: 'a sweep of chat\n', values: { parallel: [1, 2], slo: 'ttft<=1s' }, lines: { description: 2, parallel: 5, slo: 7 } });
  });
});

describe('parseScenario: errors name file:line, the key and the fix', () => {
  it.each([
    ['a word for numbers', 'tui: true\nparallel: lots', 's.yaml:2: parallel: expected a number or a list of numbers, got "lots"'],
    ['a word inside a list', 'parallel: [1, many]', 's.yaml:1: parallel: expected a number or a list of numbers, got the list [1,"many"]'],
    ['an empty list', 'parallel: []', 's.yaml:1: parallel: expected a number or a list of numbers, got an empty list'],
    ['no value', 'parallel:', 's.yaml:1: parallel: expected a number or a list of numbers, got nothing (give a value, or delete the line)'],
    ['a quoted number', 'temperature: "0.5"', 's.yaml:1: temperature: expected a number, got "0.5"'],
    ['infinity', 'temperature: .inf', 's.yaml:1: temperature: expected a number, got Infinity'],
    ['a list for a single value', 'temperature: [1, 2]', 's.yaml:1: temperature: expected a number, got the list [1,2]'],
    ['yes is not a boolean in YAML 1.2', 'tui: yes', 's.yaml:1: tui: expected true or false, got "yes"'],
    ['a boolean for text', 'slo: true', 's.yaml:1: slo: expected text, got true'],
    ['an unquoted header', 'header:\n  - x-a: b', 's.yaml:1: header: expected text or a list of texts, got the list [{"x-a":"b"}] (quote a value that holds ": ")'],
    ['a wrong choice, with the near one', 'api: completion', 's.yaml:1: api: expected one of "chat", "completions", got "completion" (did you mean "completions"?)'],
    ['a wrong choice, nothing near', 'api: embeddings', 's.yaml:1: api: expected one of "chat", "completions", got "embeddings"'],
    ['a description that is not text', 'description: [a]', 's.yaml:1: description: expected text, got the list ["a"]'],
    ['a typo', 'parallel: 2\n\nparalel: 4', 's.yaml:3: unknown key "paralel" (did you mean "parallel"?)'],
    ['camelCase', 'inputTokens: 5', 's.yaml:1: unknown key "inputTokens" (did you mean "input-tokens"?)'],
    ['a flag with its dashes', '--tui: false', 's.yaml:1: unknown key "--tui" (did you mean "tui"?)'],
    ['nothing near', 'concurrency: 4', 's.yaml:1: unknown key "concurrency" (`evalperf run --help` lists the options; a key is a flag without its dashes)'],
    ['the first problem in the file wins', 'tui: 3\nparalel: 1\n', 's.yaml:1: tui: expected true or false, got 3'],
    ['a nested scenario', 'parallel: 1\nscenario: other.yaml', 's.yaml:2: scenario: a scenario cannot load another one; copy the keys you want into this file'],
  ])('%s', (_, text, message) => {
    expect(fails(text)).toBe(message);
  });

  it.each([
    ['a syntax error', 'parallel: [1, 2\n', /^s\.yaml:2:1: Flow sequence in block collection must be sufficiently indented and end with a \]$/],
    ['a nested mapping on one line', 'header: x-a: b\n', /^s\.yaml:1:9: Nested mappings are not allowed in compact mappings$/],
    ['a tab', '\tparallel: 4\n', /^s\.yaml:1:1: Tabs are not allowed as indentation$/],
    ['a key twice', 'tui: true\ntui: false\n', /^s\.yaml:2:1: Map keys must be unique$/],
    ['two documents', 'tui: true\n---\ntui: false\n', /^s\.yaml:2:1: a scenario is one YAML document: remove the `---` line/],
    ['a list', '- parallel: 4\n', /^s\.yaml:1: expected options, got a list: write one option per line as in `parallel: 16`/],
    ['a single value', 'parallel 4\n', /^s\.yaml:1: expected options, got a single value/],
    ['an empty file', '', /^s\.yaml: the file has no options/],
    ['comments only', '# nothing yet\n', /^s\.yaml: the file has no options/],
  ])('%s', (_, text, message) => {
    const m = fails(text);
    expect(m).toMatch(message);
    expect(m).not.toContain('\n');
  });
});
