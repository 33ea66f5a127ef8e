import { createWriteStream, type WriteStream } from 'node:fs';
import type { FaultKind } from './faults.js';

/**
 * The simulator's own record of each request, for tests and benchmarks (off by default): one
 * JSONL line per request with the fault it injected (if any) and, for streams, when each
 * content chunk was written, as epoch milliseconds on this host's clock
 * (performance.timeOrigin + now(), microsecond resolution). Lines are keyed by the request's
 * x-request-id (evalperf sends <run id>-<step>-<index>; summary.json has the run id), else the
 * prompt's first word, so a test can join them with the client's requests.jsonl: what the client
 * reports minus what the server did is what the client added.
 */
export interface RequestLogEntry {
  /** x-request-id when the client sent one, else the prompt's first word. */
  key: string | null;
  /** The prompt's first word (what was asked, whoever asked). */
  prompt: string | null;
  fault: FaultKind | null;
  recv: number;
  /** Epoch ms of each content chunk write, in order. */
  writes: number[];
}

export const epochNow = (): number => performance.timeOrigin + performance.now();

export class RequestLog {
  private readonly out: WriteStream;

  constructor(path: string) {
    this.out = createWriteStream(path, { flags: 'a' });
  }

  write(e: RequestLogEntry): void {
    const first = e.writes[0] ?? null;
    const line = {
      key: e.key,
      prompt: e.prompt,
      fault: e.fault,
      recv_ms: round3(e.recv),
      first_ms: first === null ? null : round3(first),
      // Later writes as offsets from the first, to keep lines short.
      offsets_ms: first === null ? [] : e.writes.slice(1).map((t) => round3(t - first)),
    };
    this.out.write(JSON.stringify(line) + '\n');
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.out.end(resolve));
  }
}

export const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** The first whitespace-separated word of the prompt (chat: the first message with text; embeddings: the first input; rerank: the query). */
export function promptKey(body: Record<string, unknown>): string | null {
  const first = (text: string) => /\S+/.exec(text)?.[0] ?? null;
  const messages = body['messages'];
  if (Array.isArray(messages)) {
    for (const m of messages) {
      const c = (m as { content?: unknown } | null)?.content;
      if (typeof c === 'string' && c.trim()) return first(c);
    }
    return null;
  }
  // completions' prompt, embeddings' input, rerank's query
  const prompt = body['prompt'] ?? body['input'] ?? body['query'];
  if (typeof prompt === 'string') return first(prompt);
  if (Array.isArray(prompt) && typeof prompt[0] === 'string') return first(prompt[0]);
  return null;
}
