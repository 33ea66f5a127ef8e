/**
 * Text helpers every extractor shares.
 */

/**
 * Servers without a reasoning parser leave the model's `<think>...</think>` in `content`; the
 * answer is what follows it (a code block or "Answer:" inside the thoughts is not the answer).
 */
export function stripThinking(text: string): string {
  const end = text.lastIndexOf('</think>');
  return end >= 0 ? text.slice(end + '</think>'.length) : text;
}

/**
 * Content of the last `\boxed{...}` (or `\fbox{...}`), braces matched, as lm-eval's
 * last_boxed_only_string + remove_boxed; `\boxed 5` (space form) runs to the next `$` or line end.
 * null when there is none or its braces never close (a truncated reply).
 */
export function lastBoxed(text: string): string | null {
  let idx = text.lastIndexOf('\\boxed');
  let len = '\\boxed'.length;
  if (idx < 0) {
    idx = text.lastIndexOf('\\fbox');
    len = '\\fbox'.length;
  }
  if (idx < 0) return null;
  let i = idx + len;
  if (text[i] === ' ') {
    const rest = text.slice(i + 1);
    const stop = rest.search(/[$\n]/);
    return (stop < 0 ? rest : rest.slice(0, stop)).trim();
  }
  while (text[i] === ' ') i++;
  if (text[i] !== '{') return null;
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return text.slice(i + 1, j);
    }
  }
  return null;
}

/** Letters of an item's options: A, B, C, ... */
export function letters(n: number): string[] {
  return Array.from({ length: n }, (_, k) => String.fromCharCode(65 + k));
}
