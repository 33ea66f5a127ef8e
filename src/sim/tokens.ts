/**
 * The simulator's "tokenizer": one token per run of non-whitespace characters. Whitespace is the
 * set JavaScript's `\s` matches, so `countSimTokens(s) === s.split(/\s+/).filter(Boolean).length`.
 * The load generator uses the same rule to build prompts of exact length for the simulator.
 */
export function countSimTokens(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let ws: boolean;
    if (c > 32 && c < 127) ws = false;
    else if (c === 32 || (c >= 9 && c <= 13)) ws = true;
    else if (c < 0xa0) ws = false;
    else ws = isUnicodeSpace(c);
    if (ws) inWord = false;
    else if (!inWord) {
      inWord = true;
      count++;
    }
  }
  return count;
}

function isUnicodeSpace(c: number): boolean {
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * Words the simulator "generates". Each token is one word with a leading space, so the word count
 * of a reply equals its completion tokens. Plain ASCII: safe to splice into JSON unescaped.
 */
export const SIM_WORDS: readonly string[] = Object.freeze(
  (
    'the model is a simulated language server that streams tokens at a steady pace ' +
    'while batching many requests together so latency grows with load and throughput ' +
    'saturates near the configured limit of running sequences per decode step'
  )
    .split(' ')
    .map((w) => ' ' + w),
);

