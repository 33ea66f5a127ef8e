import { createRng } from '../load/rng.js';

/**
 * Synthetic prompts of about `inputTokens` tokens: that many common English words, each a
 * single token in the usual BPE vocabularies and exactly one token for the built-in simulator
 * (which counts whitespace-separated words). The first words carry the request index, so no two
 * prompts share a prefix and no prefix-cache hit happens by accident. Exact lengths under a real
 * tokenizer come with the tokenizer support.
 */
const WORDS = (
  'the of and to in is you that it he was for on are as with his they at be this have from or ' +
  'one had by word but not what all were we when your can said there use an each which she do how ' +
  'their if will up other about out many then them these so some her would make like him into time ' +
  'has look two more write go see number no way could people my than first water been call who oil ' +
  'its now find long down day did get come made may part over new sound take only little work know ' +
  'place year live me back give most very after thing our just name good sentence man think say ' +
  'great where help through much before line right too mean old any same tell boy follow came want ' +
  'show also around form three small set put end does another well large must big even such because ' +
  'turn here why ask went men read need land different home us move try kind hand picture again ' +
  'change off play spell air away animal house point page letter mother answer found study still learn'
).split(' ');

export function syntheticPrompt(index: number, inputTokens: number, seed: number): string {
  if (inputTokens <= 0) return '';
  const rng = createRng((seed * 0x9e3779b1 + index) >>> 0);
  const words: string[] = new Array(inputTokens);
  words[0] = `r${index}`;
  for (let i = 1; i < inputTokens; i++) words[i] = WORDS[Math.floor(rng() * WORDS.length)]!;
  return words.join(' ');
}

/** The built-in estimate of a text's tokens when neither usage nor a tokenizer gives a count. */
export function estimateTokens(text: string): number {
  // ~4 characters per token is the usual rule for English under BPE tokenizers.
  return Math.max(1, Math.round(text.length / 4));
}
