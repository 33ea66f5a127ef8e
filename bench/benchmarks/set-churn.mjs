// Set churn: why the worker keeps its in-flight requests in an array that only grows with peak
// concurrency (Sender.flights in src/worker/sender.ts) and not in a Set. A Set added to and
// deleted from once per request, after a burst has grown its table into the old generation,
// keeps the requests it held alive until a full GC, so every scavenge copies and promotes them.
// Each mode runs in its own process under --trace-gc, with the same allocation pattern: a burst
// of 500 live entries, then 2 short-lived entries a millisecond.
import { spawn } from 'node:child_process';
import { round } from '../lib.mjs';

export const description = 'scavenges with a churned Set vs reused slots (the Node fact behind Sender.flights)';

const CHILD = `
const mode = process.argv[1], total = Number(process.argv[2]);
const set = new Set(), slots = [], free = [];
let n = 0;
const add = (o) => { if (mode === 'set') { set.add(o); return o; } const i = free.pop() ?? slots.length; slots[i] = o; return i; };
const del = (h) => { if (mode === 'set') set.delete(h); else { slots[h] = null; free.push(h); } };
const burst = [];
for (let k = 0; k < 500; k++) burst.push(add({ pad: new Array(50).fill(k) }));
const make = () => { const h = add({ pad: new Array(200).fill(n), id: n++ }); setTimeout(() => del(h), 3); };
let garbage = [];
const timer = setInterval(() => {
  make(); make();
  garbage.push(new Array(500));
  if (garbage.length > 50) garbage = [];
  if (n === 2000) burst.forEach(del);
  if (n >= total) clearInterval(timer);
}, 1);`;

async function trace(mode, total) {
  const child = spawn(process.execPath, ['--trace-gc', '-e', CHILD, mode, String(total)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise((resolve) => child.on('exit', resolve));
  const scavenges = [];
  let lastAfter = null;
  const promoted = [];
  for (const line of out.split('\n')) {
    const m = /(Scavenge|Mark-Compact)[^,]*? ([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB, ([\d.]+)/.exec(line);
    if (!m) continue;
    const after = Number(m[4]);
    if (m[1] === 'Scavenge') {
      scavenges.push(Number(m[6]));
      if (lastAfter !== null) promoted.push(after - lastAfter);
    }
    lastAfter = after;
  }
  const late = scavenges.slice(Math.floor(scavenges.length / 2)); // after the burst has settled
  const mean = (xs) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
  return { mode, scavenges: scavenges.length, scavenge_mean_ms: round(mean(late), 2), scavenge_max_ms: round(Math.max(...late), 2), promoted_per_scavenge_mb: round(mean(promoted.slice(Math.floor(promoted.length / 2))), 2) };
}

export async function run({ quick = false } = {}) {
  const total = quick ? 4000 : 30_000;
  return [await trace('set', total), await trace('slots', total)];
}
