import { describe, expect, it } from 'vitest';
import { countSimTokens, SIM_WORDS } from './tokens.js';
import { DEFAULT_SIM_OPTIONS, describeSim, resolveSimOptions } from './options.js';

describe('countSimTokens', () => {
  it('counts runs of non-whitespace', () => {
    expect(countSimTokens('')).toBe(0);
    expect(countSimTokens('   \n\t ')).toBe(0);
    expect(countSimTokens('one')).toBe(1);
    expect(countSimTokens('  one two\tthree\nfour\r\n five  ')).toBe(5);
    expect(countSimTokens('héllo wörld 你好 🙂')).toBe(4);
    expect(countSimTokens('a\u00a0b\u3000c\u2003d')).toBe(4);
  });

  it('agrees with split(/\\s+/) on random text', () => {
    const alphabet = ['a', 'b', ' ', '  ', '\n', '\t', 'é', '\u00a0', '\u2028', 'x\u3000', '.', '🙂', '\v', '\f'];
    let seed = 3;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 500; i++) {
      let s = '';
      const len = Math.floor(rnd() * 40);
      for (let j = 0; j < len; j++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      expect(countSimTokens(s)).toBe(s.split(/\s+/).filter(Boolean).length);
    }
  });

  it('token words carry a leading space and count as one token each', () => {
    let text = '';
    for (let i = 0; i < 200; i++) text += SIM_WORDS[(i + 5) % SIM_WORDS.length];
    expect(countSimTokens(text)).toBe(200);
    for (const w of SIM_WORDS) expect(w).toMatch(/^ [a-z]+$/);
  });
});

describe('sim options', () => {
  it('defaults and describeSim', () => {
    expect(resolveSimOptions({})).toEqual(DEFAULT_SIM_OPTIONS);
    expect(describeSim(DEFAULT_SIM_OPTIONS)).toBe(
      'simulator: itl 10ms + 0.05ms/seq, prefill 0.05ms/token, max-num-seqs 256',
    );
    expect(describeSim({ ...DEFAULT_SIM_OPTIONS, jitter: 0.1 })).toContain('jitter ±10%');
  });

  it('rejects unknown keys and bad values', () => {
    expect(() => resolveSimOptions({ itl: 3 })).toThrow(/simulator option itl is not a simulator option/);
    expect(() => resolveSimOptions({ maxNumSeqs: 0 })).toThrow(/maxNumSeqs/);
    expect(() => resolveSimOptions({ itlMs: -1 })).toThrow(/itlMs/);
    expect(() => resolveSimOptions({ jitter: 2 })).toThrow(/jitter/);
    expect(() => resolveSimOptions({ port: 70000 })).toThrow(/port/);
    expect(() => resolveSimOptions(null)).toThrow(/object/);
    // The same fault checks as --faults: known kinds, and probabilities that add up to at most 1.
    expect(() => resolveSimOptions({ faults: [{ kind: '500', p: 0.7 }, { kind: '429', p: 0.6 }] })).toThrow(/faults.*add up to 1\.300, more than 1/);
    expect(() => resolveSimOptions({ faults: [{ kind: 'explode', p: 0.1 }] })).toThrow(/faults.*known kind/);
    expect(resolveSimOptions({ port: 0, itlMs: 2, strictModel: true })).toMatchObject({ port: 0, itlMs: 2, strictModel: true });
  });
});
