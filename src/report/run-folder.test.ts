import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeHistogram } from '../metrics/histogram.js';
import { recordLine, runJson, savedStep, spreadHistogram, writeRunFolder } from './fixtures.test-util.js';
import { readRunFolder } from './run-folder.js';

const root = mkdtempSync(join(tmpdir(), 'evalperf-folder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const folder = (files: Record<string, unknown>) => writeRunFolder(join(root, `r${n++}`), files);
const summary = { schema: 'evalperf.summary/1', target: { url: 'u', model: 'm', api: 'chat' }, steps: [savedStep(4)] };
const histograms = { schema: 'evalperf.histograms/1', steps: [{ step: 0, ttft: encodeHistogram(spreadHistogram(10, 5, 9)) }] };
const interval = (t_s: number) => ({ step: 0, interval: t_s * 4 - 1, t_s, started: 1, completed: 1, succeeded: 1, failed: 0, output_tokens: 10, in_flight: 2, queued: 0, ttft_ms: { p50: 50, p90: 60, p99: 70 } });

describe('reading a run folder', () => {
  it('uses the saved files as they are: summary, histograms, intervals, and error examples from the records', async () => {
    const lines = [recordLine(), ...[1, 2, 3, 4].map((i) => recordLine({ index: i, status: 503, error_class: 'http_5xx', error: i === 4 ? 'other' : 'overloaded' }))];
    const d = await readRunFolder(folder({ 'summary.json': summary, 'histograms.json': histograms, 'intervals.jsonl': [0.25, 0.5].map(interval), 'requests.jsonl': lines }), () => {});
    expect(d.rebuilt).toBe(false);
    expect(d.summary.steps[0]!.load.parallel).toBe(4);
    expect(d.histograms![0]!.ttft!.totalCount).toBe(10);
    expect(d.series[0]).toMatchObject({ source: 'intervals', t: [0], ttftP50: [50] });
    // Distinct messages only, in the order met.
    expect(d.errors).toEqual([{ errorClass: 'http_5xx', count: 4, byStep: { 0: 4 }, examples: [{ step: 0, index: 1, status: 503, message: 'overloaded' }, { step: 0, index: 4, status: 503, message: 'other' }] }]);
    expect(d.notes).toEqual([]);
  });

  it('without intervals.jsonl the time series come from the records; without histograms, a note', async () => {
    const d = await readRunFolder(folder({ 'summary.json': summary, 'requests.jsonl': [recordLine()] }), () => {});
    expect(d.series[0]!.source).toBe('requests');
    expect(d.histograms).toBeNull();
    expect(d.notes).toEqual(['histograms.json is missing: no percentile plots.']);
  });

  it.each([
    ['a folder that does not exist', () => join(root, 'nope'), /nope: no such folder: give a folder that evalperf run wrote/],
    ['a file', () => (writeFileSync(join(root, 'file.txt'), 'x'), join(root, 'file.txt')), /file\.txt is a file, not a run folder/],
    ['an empty folder', () => folder({}), /is not a run folder: it has neither summary\.json nor requests\.jsonl/],
    ['summary.json that is not JSON', () => folder({ 'summary.json': '{"schema":' }), /summary\.json is not valid JSON .*: restore it, or delete it to rebuild the summary from requests\.jsonl/],
    ['summary.json of something else', () => folder({ 'summary.json': { schema: 'other/1', steps: [] } }), /summary\.json is not an evalperf summary/],
    ['summary.json with broken steps', () => folder({ 'summary.json': { schema: 'evalperf.summary/1', steps: [{ load: {} }] } }), /summary\.json has no valid "steps"/],
    ['histograms.json with a broken histogram', () => folder({ 'summary.json': summary, 'histograms.json': { steps: [{ ttft: 'AAAA' }] } }), /histograms\.json step 0 ttft is not a readable HDR histogram/],
    ['an interval line evalperf did not write', () => folder({ 'summary.json': summary, 'intervals.jsonl': [{ step: 0 }] }), /intervals\.jsonl line 1 is not an interval line evalperf wrote/],
    ['requests.jsonl without run.json or summary.json', () => folder({ 'requests.jsonl': [recordLine()] }), /has requests\.jsonl but neither summary\.json nor run\.json: copy run\.json back/],
    ['run.json without a load plan', () => folder({ 'requests.jsonl': [recordLine()], 'run.json': { ...runJson(), load: 'x' } }), /run\.json has no valid "load" list/],
  ])('refuses %s with one line naming the file and the fix', async (_name, make, message) => {
    const err = await readRunFolder(make(), () => {}).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('BadInputError');
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });
});
