import { describe, expect, it } from 'vitest';
import { LiveSlots } from './live-slots.js';

describe('LiveSlots', () => {
  it('holds what was added until it is removed, and reuses freed slots', () => {
    const s = new LiveSlots<string>();
    const a = s.add('a');
    const b = s.add('b');
    const c = s.add('c');
    expect([a, b, c]).toEqual([0, 1, 2]);
    s.remove(b);
    expect(s.items()).toEqual(['a', 'c']);
    expect(s.size).toBe(2);
    expect(s.add('d')).toBe(1);
    expect(s.items()).toEqual(['a', 'd', 'c']);
  });

  it('ignores a second remove of the same slot (it could free a slot someone else holds)', () => {
    const s = new LiveSlots<string>();
    const a = s.add('a');
    s.remove(a);
    s.remove(a);
    expect(s.size).toBe(0);
    expect(s.add('b')).toBe(0);
    expect(s.add('c')).toBe(1);
    expect(s.items()).toEqual(['b', 'c']);
  });

  it('gives a copy, so removing while going through it misses nothing', () => {
    const s = new LiveSlots<number>();
    const slots = [s.add(1), s.add(2), s.add(3)];
    const seen: number[] = [];
    s.items().forEach((x, i) => {
      seen.push(x);
      s.remove(slots[i]!);
    });
    expect(seen).toEqual([1, 2, 3]);
    expect(s.size).toBe(0);
  });
});
