import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runDir, startServe, tempDir } from '../cli/e2e.test-util.js';
import { encodeHistogram } from '../metrics/histogram.js';
import { HOSTILE_ATTR, HOSTILE_SCRIPT, recordLine, runJson, savedStep, spreadHistogram, writeRunFolder } from './fixtures.test-util.js';

/**
 * Reports as a person opens them: Debian's headless Chromium, network blocked, on pages made
 * by the built CLI from real runs against the simulator. EVALPERF_KEEP_SCREENSHOTS=1 keeps
 * the screenshots (and says where) to look at.
 */
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);

interface ChartCheck {
  canvas: boolean;
  width: number;
  height: number;
  /** Pixels drawn at all (the canvas background is transparent). */
  ink: number;
  /** Saturated pixels: a series line, not the grey of axes and grid. */
  colour: number;
}

// Runs in the page; a string because the project's TypeScript has no DOM types.
const CHECK_CHARTS = `Array.from(document.querySelectorAll('[data-chart]')).map((el) => {
  const c = el.querySelector('canvas');
  if (!c) return { canvas: false, width: 0, height: 0, ink: 0, colour: 0 };
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0, colour = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] === 0) continue;
    ink++;
    if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) colour++;
  }
  return { canvas: true, width: c.width, height: c.height, ink, colour };
})`;

describe.runIf(haveChromium)('reports in headless Chromium, offline', () => {
  const out = tempDir('report-browser');
  const keep = process.env.EVALPERF_KEEP_SCREENSHOTS === '1';
  let browser: Browser;
  let sim: Awaited<ReturnType<typeof startServe>>;
  let sweep = '';
  let single = '';

  beforeAll(async () => {
    [browser, sim] = await Promise.all([
      chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] }),
      startServe(['--itl-ms', '2', '--itl-ms-per-seq', '0.5', '--prefill-ms-per-token', '0.01']),
    ]);
    const [a, b] = await Promise.all([
      runCli(['run', '--url', sim.url, '--parallel', '2', '6', '--number', '30', '--max-tokens', '16', '--no-tui', '--out', join(out.path, 'sweep')]),
      runCli(['run', '--url', sim.url, '--parallel', '6', '--number', '30', '--max-tokens', '16', '--no-tui', '--out', join(out.path, 'single')]),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    sweep = runDir(join(out.path, 'sweep'));
    single = runDir(join(out.path, 'single'));
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await sim?.close();
    if (keep) process.stderr.write(`screenshots kept in ${out.path}\n`);
    else out.remove();
  });

  /** Opens `file` with every non-file request blocked; returns what the page did. */
  async function open(file: string, screenshot: string) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const leaks: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.route('**/*', (r) => {
      if (r.request().url().startsWith('file:')) return r.continue();
      leaks.push(r.request().url());
      return r.abort();
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction('document.querySelectorAll("[data-chart]").length === document.querySelectorAll("[data-chart] canvas").length');
    const charts = (await page.evaluate(CHECK_CHARTS)) as ChartCheck[];
    await page.screenshot({ path: join(out.path, screenshot), fullPage: true });
    return { page, errors, leaks, charts };
  }

  function expectAllDrawn(charts: ChartCheck[], atLeast: number): void {
    expect(charts.length).toBeGreaterThanOrEqual(atLeast);
    charts.forEach((c, i) => {
      expect(c.canvas, `chart ${i} has a canvas`).toBe(true);
      expect(c.width * c.height, `chart ${i} has a size`).toBeGreaterThan(0);
      expect(c.ink, `chart ${i} drew axes`).toBeGreaterThan(1000);
      expect(c.colour, `chart ${i} drew a series`).toBeGreaterThan(10);
    });
  }

  it('a sweep report draws every chart, with no console error and no request leaving the page', async () => {
    const { page, errors, leaks, charts } = await open(join(sweep, 'report.html'), 'report.png');
    // 5 sweep charts, 4 percentile plots, 5 over time.
    expectAllDrawn(charts, 14);
    expect(errors).toEqual([]);
    expect(leaks).toEqual([]);
    expect(await page.textContent('#sweep h2')).toBe('Sweep: 2 steps');
    await page.close();
  }, 20_000);

  it('a compare page of two runs draws every chart', async () => {
    const html = join(out.path, 'compare.html');
    const r = await runCli(['compare', sweep, single, '--html', html]);
    expect(r.code, r.stderr).toBe(0);
    const { page, errors, leaks, charts } = await open(html, 'compare.png');
    // 5 sweep charts; 4 percentile plots at 2 users (A only) and 4 at 6 (A and B).
    expectAllDrawn(charts, 13);
    expect(errors).toEqual([]);
    expect(leaks).toEqual([]);
    await page.close();
  }, 20_000);

  it('hostile model names and error messages show as text and run nothing', async () => {
    const hostile = `${HOSTILE_SCRIPT}${HOSTILE_ATTR}`;
    const dir = writeRunFolder(join(out.path, 'hostile'), {
      'run.json': runJson([4], { target: { url: `http://x/${hostile}`, model: hostile, api: 'chat', simulated: false } }),
      'summary.json': { schema: 'evalperf.summary/1', target: { url: `http://x/${hostile}`, model: hostile, api: 'chat' }, steps: [savedStep(4, { requests: { total: 3, succeeded: 1, failed: 2, by_class: { http_5xx: 2 } } })] },
      'histograms.json': { steps: [{ step: 0, ttft: encodeHistogram(spreadHistogram(50, 10, 90)), e2e: encodeHistogram(spreadHistogram(50, 100, 900)) }] },
      'requests.jsonl': [recordLine(), recordLine({ index: 1, status: 500, error_class: 'http_5xx', error: hostile }), recordLine({ index: 2, status: 502, error_class: 'http_5xx', error: `${HOSTILE_ATTR} again` })],
    });
    const r = await runCli(['report', dir]);
    expect(r.code, r.stderr).toBe(0);
    const { page, errors, leaks, charts } = await open(join(dir, 'report.html'), 'hostile.png');
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.evaluate('document.querySelectorAll("img").length')).toBe(0);
    const text = (await page.textContent('body')) ?? '';
    expect(text).toContain(HOSTILE_SCRIPT);
    expect(text).toContain(`${HOSTILE_ATTR} again`);
    expect(await page.title()).toContain(HOSTILE_SCRIPT);
    expectAllDrawn(charts, 2);
    expect(errors).toEqual([]);
    expect(leaks).toEqual([]);
    await page.close();
  }, 20_000);
});

if (!haveChromium) it.skip(`reports in headless Chromium: skipped, ${CHROMIUM} is missing (apt-get install chromium)`, () => {});
