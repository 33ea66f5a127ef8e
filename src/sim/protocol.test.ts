import { describe, expect, it } from 'vitest';
import { uniquePng } from '../datasets/images.js';
import { countMessageTokens, imageTokens } from './protocol.js';

const png = (w: number, h: number) => `data:image/png;base64,${uniquePng(w, h, { stream: 0, index: 0, k: 0 }, 1).toString('base64')}`;

describe('the simulator counts image tokens', () => {
  it.each([
    [28, 28, 1],
    [512, 512, 19 * 19],
    [1024, 768, 37 * 28],
    [4, 4, 1],
  ])('a %ix%i PNG is %i tokens (28x28-pixel patches)', (w, h, tokens) => {
    expect(imageTokens(png(w, h))).toBe(tokens);
  });

  it.each([['https://example.com/cat.jpg'], ['data:image/jpeg;base64,/9j/4AAQ'], ['data:image/png;base64,AAAA'], [42]])('an image it cannot measure (%s) is 256 tokens', (url) => {
    expect(imageTokens(url)).toBe(256);
  });

  it('adds image parts to the words of text parts', () => {
    const messages = [{ role: 'user', content: [{ type: 'text', text: 'two words' }, { type: 'image_url', image_url: { url: png(56, 28) } }] }];
    expect(countMessageTokens(messages)).toBe(2 + 2);
  });
});
