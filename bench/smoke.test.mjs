import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every benchmark runs in its --quick form and prints its table. Benchmarks never fail the
// suite on their figures; this only checks that they still work.
const dir = fileURLToPath(new URL('.', import.meta.url));
const names = readdirSync(new URL('./benchmarks/', import.meta.url)).filter((f) => f.endsWith('.mjs')).map((f) => f.slice(0, -4));

describe('benchmarks (quick)', () => {
  it.each(names)('%s runs and prints its table', async (name) => {
    const out = await new Promise((resolve, reject) =>
      execFile(process.execPath, [`${dir}run.mjs`, name, '--quick', '--no-write'], { timeout: 90_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout))),
    );
    expect(out).toContain(`## ${name}:`);
    expect(out).toMatch(/┌─/);
    expect(out).not.toMatch(/\bnull\b.*\bnull\b.*\bnull\b/);
  }, 120_000);
});
