import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnSimulator } from './embedded.js';
import { DEFAULT_SIM_OPTIONS } from './options.js';

const built = fileURLToPath(new URL('../../dist/sim/child-main.js', import.meta.url));
const haveBuild = existsSync(built);
if (!haveBuild) console.warn(`skipping spawnSimulator tests: ${built} not found (run \`npm run build\` first)`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!haveBuild)('spawnSimulator', () => {
  it('spawns the child, serves /v1/models, close() ends it', async () => {
    const sim = await spawnSimulator({ ...DEFAULT_SIM_OPTIONS, port: 0, model: 'child-model', itlMs: 1 });
    try {
      expect(sim.url).toBe(`http://127.0.0.1:${sim.port}/v1`);
      expect(alive(sim.pid)).toBe(true);
      const res = await fetch(`${sim.url}/models`);
      const body = (await res.json()) as { data: { id: string }[] };
      expect(body.data[0]?.id).toBe('child-model');
      const gen = await fetch(`${sim.url}/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'a b', max_tokens: 3 }),
      });
      expect(((await gen.json()) as { usage: { completion_tokens: number } }).usage.completion_tokens).toBe(3);
    } finally {
      await sim.close();
    }
    expect(alive(sim.pid)).toBe(false);
    await expect(fetch(`${sim.url}/models`)).rejects.toThrow();
  });

  it('rejects with the child error when startup fails (port in use)', async () => {
    const first = await spawnSimulator({ ...DEFAULT_SIM_OPTIONS, port: 0 });
    try {
      await expect(spawnSimulator({ ...DEFAULT_SIM_OPTIONS, port: first.port })).rejects.toThrow(
        /simulator failed to start: .*EADDRINUSE/,
      );
    } finally {
      await first.close();
    }
  });

  it('rejects invalid options with a clear message', async () => {
    await expect(spawnSimulator({ ...DEFAULT_SIM_OPTIONS, port: 0, maxNumSeqs: 0 })).rejects.toThrow(/maxNumSeqs/);
  });
});
