import { describe, expect, it } from 'vitest';
import { loadPageAssets } from '../report/html-page.js';
import { HOSTILE, HOSTILE_ATTR, HOSTILE_SCRIPT } from '../report/fixtures.test-util.js';
import { renderArenaText, type ArenaDocument } from './document.js';
import { renderArenaHtml } from './html.js';
import { rankPairwise } from './leaderboard.js';

/** A pairwise arena document where everything that comes from outside is hostile text. */
function hostileDoc(): ArenaDocument {
  const ranked = rankPairwise(['a', 'b'], [{ question: 'q', a: 0, b: 1, verdict: 'A>B' }, { question: 'q', a: 1, b: 0, verdict: 'B>A' }], { baseline: null, rounds: 20, seed: 1 });
  return {
    schema: 'evalperf.arena/1',
    tool: { name: 'evalperf', version: HOSTILE },
    mode: 'pairwise',
    complete: false,
    baseline: null,
    ...ranked,
    judgments: { expected: 2, skipped: 0, failed: 0, parsed: 2, unparsed: { none: 0, conflict: 0, invalid: 0 }, rules: { [HOSTILE]: 2 } },
    method: { kind: HOSTILE },
    judge: { url: `http://x/${HOSTILE}`, model: HOSTILE },
    models: [
      { name: 'a', url: `http://a/${HOSTILE}`, model: HOSTILE, answers: 1, failed: 0 },
      { name: 'b', url: 'http://b/v1', model: null, answers: 1, failed: 0 },
    ],
    questions: { file: HOSTILE, n: 1, categories: { [HOSTILE]: 1 } },
    prompt: { source: HOSTILE, sha256: 'f'.repeat(64) },
    verdict_patterns: [HOSTILE],
  };
}

describe('arena.html', () => {
  it('escapes every outside string, in the page and in its data block', () => {
    const html = renderArenaHtml(hostileDoc(), loadPageAssets());
    expect(html).not.toContain(HOSTILE_SCRIPT);
    expect(html).not.toContain(HOSTILE_ATTR);
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    // Two scripts only (uPlot and the page script, allowed by hash), and no network.
    expect([...html.matchAll(/<script>/g)]).toHaveLength(2);
    expect(html).toMatch(/default-src &#39;none&#39;/);
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('shows the leaderboard, the win matrix, the judge and a warning when incomplete', () => {
    const html = renderArenaHtml(hostileDoc(), loadPageAssets());
    expect(html).toMatch(/<h2>Leaderboard<\/h2>/);
    expect(html).toMatch(/<h2>Win matrix<\/h2>[\s\S]*100\.0%/);
    expect(html).toMatch(/Position bias: the answer shown first won <b>50\.0%<\/b>/);
    expect(html).toMatch(/stopped before every answer and verdict was in/);
  });

  it('the terminal table ranks best first and says what the judge could not read', () => {
    const text = renderArenaText({ ...hostileDoc(), models: hostileDoc().models.map((m) => ({ ...m, model: 'm' })), judge: { url: 'http://j', model: 'judge-m' } });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^arena: pairwise, 2 models, 1 questions, judge judge-m {2}\(INCOMPLETE/);
    expect(lines[2]).toMatch(/^ {3}1 {2}a +\d+\.\d {2}\d+\.\d \.\. \d+\.\d +100\.0% {3}2 \/ 0 \/ 0$/);
    expect(text).toMatch(/judgments: 2 to make, 2 read, 0 unparsed/);
    expect(text).toMatch(/position bias: the first answer won 50\.0%/);
  });
});
