import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { StepSummary } from '../metrics/summary.js';
import { readJson, runCli, runDir, tempDir } from './e2e.test-util.js';

/**
 * Every example in scenarios/ runs against the built-in simulator, shortened from the command
 * line (which is also the proof that flags beat the file): a few requests or half a second per
 * step, tiny replies, no pause and no warmup. A new example file is picked up without a change here.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLES = readdirSync(join(ROOT, 'scenarios'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const SHORT = ['--number', '8', '--duration', '500ms', '--max-tokens', '4', '--pause', '0', '--warmup', '0', '--no-tui'];

type Summary = { steps: StepSummary[] };
type RunJson = { scenario: string | null; load: { number: number | null; durationMs: number | null }[]; prompts: { dataset: string; input_tokens?: string; prefix_tokens?: number } };
const list = (v: unknown): unknown[] | null => (v === undefined ? null : Array.isArray(v) ? v : [v]);

describe('the example scenarios run against the simulator', () => {
  const out = tempDir('scenarios');
  afterAll(() => out.remove());

  it('there are examples to run', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(4);
  });

  it.each(EXAMPLES)('scenarios/%s', async (file) => {
    const path = `scenarios/${file}`;
    const file_ = parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, unknown>;
    const dir = join(out.path, file);
    const r = await runCli(['run', '--scenario', path, ...SHORT, '--out', dir], { timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`scenario ${path}`);
    const run = readJson<RunJson>(join(runDir(dir), 'run.json'));
    expect(run.scenario).toBe(path);
    const steps = readJson<Summary>(join(runDir(dir), 'summary.json')).steps;

    // One step per load level of the file, in its order (fewer when stop-on-slo ends the sweep).
    const rates = list(file_.rate);
    const levels = rates ?? list(file_.parallel) ?? [16];
    if ('stop-on-slo' in file_) expect(steps.length).toBeGreaterThanOrEqual(1);
    else expect(steps).toHaveLength(levels.length);
    expect(steps.length).toBeLessThanOrEqual(levels.length);
    steps.forEach((s, k) => {
      if (rates) expect(s.load).toMatchObject({ mode: 'open', rate: rates[k], parallel: list(file_.parallel)?.[0] ?? null });
      else expect(s.load).toMatchObject({ mode: 'closed', parallel: levels[k] });
      expect(s.slo === null).toBe(!('slo' in file_));
      expect(s.requests.total).toBeGreaterThanOrEqual(1);
      expect(s.requests.failed).toBe(0);
    });
    // The command line's --number and --duration beat the file's, in every step of the plan.
    expect(run.load.map((l) => [l.number, l.durationMs])).toEqual(run.load.map(() => [8, 500]));
    if (run.prompts.dataset === 'random') {
      if ('input-tokens' in file_) expect(run.prompts.input_tokens).toBe(String(file_['input-tokens']));
      expect(run.prompts.prefix_tokens).toBe(file_['prefix-tokens'] ?? 0);
    }
  }, 30_000);
});

// Each case is its own short process: run them side by side.
describe.concurrent('a bad scenario stops before anything runs (exit 2)', () => {
  const dir = tempDir('bad-scenario');
  afterAll(() => dir.remove());

  it.each([
    ['typo.yaml', 'parallel: 2\nparalel: 4\n', /typo\.yaml:2: unknown key "paralel" \(did you mean "parallel"\?\)/],
    ['value.yaml', '# users\nparallel: lots\n', /value\.yaml:2: parallel: expected a number or a list of numbers, got "lots"/],
    ['syntax.yaml', 'parallel: [1, 2\n', /syntax\.yaml:2:1: Flow sequence/],
    // A value the file's types allow but the plan refuses: the plan's message, at the file's line.
    ['plan.yaml', 'parallel: 2\nduration: soon\n', /plan\.yaml:2: --duration "soon": expected a duration/],
    // A dataset the run cannot read, and multi-turn with an arrival rate: refused before any load.
    ['dataset.yaml', 'dataset: sharegpt:no-such-file.json\n', /--dataset sharegpt:no-such-file\.json: no such file/],
    ['turns.yaml', 'rate: 5\nturns: 3\n', /--turns: conversations are played by closed-loop users/],
  ])('%s', async (name, text, message) => {
    const path = join(dir.path, name);
    writeFileSync(path, text);
    const r = await runCli(['run', '--scenario', path, '--out', join(dir.path, 'out')], { timeoutMs: 15_000 });
    expect(r.code).toBe(2);
    // A valid file is announced (`scenario PATH`) before the plan meets the problem: one error line after it.
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('evalperf: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  }, 20_000);

  it('a missing file is named', async () => {
    const r = await runCli(['run', '--scenario', join(dir.path, 'nope.yaml')], { timeoutMs: 15_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--scenario \S*nope\.yaml: no such file/);
  }, 20_000);

  it('--help describes --scenario', async () => {
    const r = await runCli(['run', '--help'], { timeoutMs: 15_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--scenario\s+a YAML file of these options/);
  }, 20_000);
});
