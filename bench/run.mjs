// npm run bench [-- name ...]: runs evalperf's benchmarks against the built-in simulator on
// 127.0.0.1, prints a table per benchmark and merges the rows into bench/results.json.
// `--quick` runs a shortened version of each (the smoke test uses it).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const noWrite = args.includes('--no-write');
const names = args.filter((a) => !a.startsWith('--'));
const all = readdirSync(here('./benchmarks')).filter((f) => f.endsWith('.mjs')).map((f) => f.slice(0, -4)).sort();
const unknown = names.filter((n) => !all.includes(n));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}: choose from ${all.join(', ')}`);
  process.exit(2);
}

const machine = { node: process.version, cpus: cpus().length, cpu_model: cpus()[0]?.model ?? 'unknown', memory_gib: Math.round(totalmem() / 2 ** 30) };
const resultsPath = here('./results.json');
const results = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, 'utf8')) : {};
for (const name of names.length > 0 ? names : all) {
  const mod = await import(`./benchmarks/${name}.mjs`);
  console.log(`\n## ${name}: ${mod.description}${quick ? ' (quick)' : ''}`);
  const started = Date.now();
  const rows = await mod.run({ quick });
  console.table(rows);
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
  results[name] = { at: new Date().toISOString(), quick, machine, rows };
}
if (!noWrite) writeFileSync(resultsPath, JSON.stringify(results, null, 2) + '\n');
