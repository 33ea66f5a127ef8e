import type { RequestRecord } from './record.js';

/** summary.json `replies_vs_max_tokens`: successful replies with a counted length and a max_tokens, and how many stopped short of it. */
export interface ReplyLengths {
  counted: number;
  shorter: number;
}

/**
 * Replies shorter than the max_tokens they asked for. Without --ignore-eos that is the model
 * ending on its own; with it, a server that honours ignore_eos never stops short, so any shorter
 * reply says the server ignored it (and output lengths are not what the run asked for).
 * Only the server's own counts (usage) are taken: an estimate cannot tell, and re-encoding the
 * decoded text with a tokenizer can miss a token or two (special tokens, merges).
 */
export class ReplyLengthTally {
  private counted = 0;
  private shorter = 0;

  add(r: RequestRecord): void {
    if (r.errorClass !== null || !Number.isFinite(r.maxTokens) || r.tokenSource !== 'usage') return;
    this.counted++;
    if (r.outputTokens < r.maxTokens) this.shorter++;
  }

  summary(): ReplyLengths | null {
    return this.counted === 0 ? null : { counted: this.counted, shorter: this.shorter };
  }
}
