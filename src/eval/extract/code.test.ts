import { describe, expect, it } from 'vitest';
import { extractCode, humanevalProgram } from './code.js';

const FN = 'def add(a, b):\n    return a + b\n';

type Row = [reply: string, code: string | null, rule: string];

const REPLIES: Row[] = [
  ['```python\n' + FN + '```', FN, 'fenced-block'],
  ['Here is the implementation:\n\n```python\n' + FN + '```\n\nThis adds the numbers.', FN, 'fenced-block'],
  ['```py\n' + FN + '```', FN, 'fenced-block'],
  ['```Python3\n' + FN + '```', FN, 'fenced-block'],
  ['```\n' + FN + '```', FN, 'fenced-block'],
  ['```python\n    return a + b\n```', '    return a + b\n', 'fenced-block'],
  ['```python\nfrom typing import List\n\n' + FN + '```', 'from typing import List\n\n' + FN, 'fenced-block'],
  // The first python block wins, even when a usage example follows.
  ['```python\n' + FN + '```\nExample:\n```python\nprint(add(1, 2))\n```', FN, 'fenced-block'],
  // A shell block before the code is skipped.
  ['Run with:\n```bash\npython main.py\n```\nCode:\n```python\n' + FN + '```', FN, 'fenced-block'],
  ['```python\n' + FN, FN, 'fenced-block-unclosed'],
  ['<think>maybe ```python\nwrong()\n```</think>\n```python\n' + FN + '```', FN, 'fenced-block'],
  [FN, FN, 'raw-reply'],
  ['    return a + b', '    return a + b', 'raw-reply'],
  ['```python\n\n```\nI cannot help with that.', '```python\n\n```\nI cannot help with that.', 'raw-reply'],
  ['   \n', null, 'empty'],
  ['', null, 'empty'],
];

describe('extractCode', () => {
  it.each(REPLIES)('%#: %j', (reply, code, rule) => {
    expect(extractCode(reply)).toEqual({ answer: code, rule });
  });
});

describe('humanevalProgram', () => {
  it('is prompt + completion + newline + test + check(entry_point), as execution.py builds it', () => {
    expect(humanevalProgram('def f():\n', '    return 1\n', 'def check(c):\n    assert c() == 1\n', 'f')).toBe(
      'def f():\n    return 1\n\ndef check(c):\n    assert c() == 1\n\ncheck(f)',
    );
  });
});
