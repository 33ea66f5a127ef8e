import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLError } from 'yaml';
import { badValue, scenarioSchema, type OptionSpec } from './scenario-schema.js';
import { closest } from './suggest.js';

/**
 * A scenario file: a YAML mapping of `evalperf run` options keyed as the flags are spelled
 * (`input-tokens: 512`, `parallel: [1, 4, 16]`), plus a free-text `description`. Parsing is
 * pure (text in, values out); the CLI reads the file and lays the values under its flags.
 */
export interface Scenario {
  /** The file as messages name it. */
  path: string;
  description: string | null;
  /** Option values as the CLI would hand them over (lists for array options, text for strings). */
  values: Readonly<Record<string, unknown>>;
  /** 1-based line of each key, so later errors about a value can point at it. */
  lines: Readonly<Record<string, number>>;
}

/** A scenario that cannot be used: one line, `file:line: key: what is wrong and the fix`. */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

export function parseScenario(text: string, path: string, options: readonly OptionSpec[]): Scenario {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true });
  if (doc.errors.length > 0) throw new ScenarioError(syntaxError(path, doc.errors[0]!));
  const root = doc.contents;
  const example = 'one option per line as in `parallel: 16` (see scenarios/ for examples)';
  if (root === null) throw new ScenarioError(`${path}: the file has no options: write ${example}`);
  const lineOf = (node: Node | null | undefined, fallback = 1) => (node?.range ? counter.linePos(node.range[0]).line : fallback);
  if (!isMap(root)) throw new ScenarioError(`${path}:${lineOf(root)}: expected options, got ${isSeq(root) ? 'a list' : 'a single value'}: write ${example}`);

  const lines: Record<string, number> = {};
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    lines[key] = lineOf(pair.key as Node, lineOf(root));
  }
  const at = (key: string) => `${path}:${lines[key] ?? lineOf(root)}: `;
  if ('scenario' in lines) throw new ScenarioError(`${at('scenario')}scenario: a scenario cannot load another one; copy the keys you want into this file`);

  const data = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  const parsed = scenarioSchema(options).safeParse(data);
  if (!parsed.success) {
    const byName = new Map(options.map((o) => [o.name, o]));
    const known = [...byName.keys(), 'description'];
    // Every problem with its line; the first in the file is the one reported.
    const problems: { line: number; message: string }[] = [];
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const near = closest(key, known);
          const fix = near !== null ? `did you mean "${near}"?` : '`evalperf run --help` lists the options; a key is a flag without its dashes';
          problems.push({ line: lines[key] ?? lineOf(root), message: `${at(key)}unknown key "${key}" (${fix})` });
        }
      } else {
        const key = String(issue.path[0]);
        problems.push({ line: lines[key] ?? lineOf(root), message: at(key) + badValue(key, byName.get(key), data[key]) });
      }
    }
    problems.sort((a, b) => a.line - b.line);
    throw new ScenarioError(problems[0]!.message);
  }
  const { description, ...values } = parsed.data as Record<string, unknown>;
  return { path, description: typeof description === 'string' ? description : null, values, lines };
}

/** `file:line:col: message`, one line: yaml's own message without its code excerpt. */
function syntaxError(path: string, e: YAMLError): string {
  const pos = e.linePos?.[0];
  const where = pos ? `${path}:${pos.line}:${pos.col}` : path;
  const what =
    e.code === 'MULTIPLE_DOCS'
      ? 'a scenario is one YAML document: remove the `---` line and everything after it, or split the file'
      : e.message.split(/ at line \d+, column \d+/)[0]!.trim();
  return `${where}: ${what}`;
}
