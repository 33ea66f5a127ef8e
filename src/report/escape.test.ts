import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript } from './escape.js';
import { HOSTILE } from './fixtures.test-util.js';

describe('escaping', () => {
  it.each([
    ['<script>x</script>', '&lt;script&gt;x&lt;/script&gt;'],
    ['"><img src=x onerror="a">', '&quot;&gt;&lt;img src=x onerror=&quot;a&quot;&gt;'],
    ["it's & done", 'it&#39;s &amp; done'],
    [42, '42'],
    [null, ''],
  ])('escapeHtml(%j) = %j', (input, want) => {
    expect(escapeHtml(input)).toBe(want);
  });

  it('JSON for a script block has no <, > or & and parses back to the same value', () => {
    const value = { model: HOSTILE, text: 'a & b \u2028 line', n: [1, null] };
    const out = jsonForScript(value);
    expect(out).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(out)).toEqual(value);
  });
});
