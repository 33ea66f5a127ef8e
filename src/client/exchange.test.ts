import type { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { RequestAbortedError, RequestTimeoutError } from './errors.js';
import { Exchange, type ExchangeOutcome } from './exchange.js';

/** Drives an Exchange the way undici does, with a fake controller. */
function harness(stream = true, collectText = false) {
  let outcome: ExchangeOutcome | null = null;
  let sent = 0;
  let events = 0;
  const aborted: Error[] = [];
  const ex = new Exchange(stream, collectText, { onSent: () => sent++, onContentEvent: () => events++, onDone: (o) => (outcome = { ...o, gaps: o.gaps.slice(0, o.gapCount) }) }, new Float64Array(2));
  const controller = { abort: (e: Error) => aborted.push(e) } as unknown as Dispatcher.DispatchController;
  return {
    ex,
    controller,
    aborted,
    get outcome() {
      return outcome;
    },
    get sent() {
      return sent;
    },
    get events() {
      return events;
    },
    respond(status: number, chunks: string[], headers: Record<string, string> = {}) {
      ex.onRequestStart(controller);
      ex.onResponseStart(controller, status, headers);
      for (const c of chunks) ex.onResponseData(controller, Buffer.from(c));
      ex.onResponseEnd();
      return outcome!;
    },
  };
}

const chunk = (delta: object, extra = '') => `data: {"choices":[{"index":0,"delta":${JSON.stringify(delta)},"finish_reason":null}]${extra}}\n\n`;
const role = chunk({ role: 'assistant', content: '' });
const usage = 'data: {"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":5,"total_tokens":12}}\n\n';
const finish = 'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n';
const done = 'data: [DONE]\n\n';

describe('Exchange', () => {
  it('a role-only first chunk is not a token; content events are timed; usage is kept', () => {
    const h = harness(true, true);
    const o = h.respond(200, [role, chunk({ content: 'Hel' }), chunk({ content: 'lo' }) + chunk({ reasoning_content: '…' }), finish + usage + done]);
    expect(o).toMatchObject({ status: 200, contentEvents: 3, errorClass: null, usage: { promptTokens: 7, completionTokens: 5 }, reply: { text: 'Hello', finishReason: 'stop', topLogprobs: null } });
    expect(o.firstTokenAt).toBeGreaterThanOrEqual(o.headersAt);
    expect(o.lastTokenAt).toBeGreaterThanOrEqual(o.firstTokenAt);
    // Three events, two gaps; the last two arrived in one network chunk, so their gap is 0.
    expect(o.gaps).toHaveLength(2);
    expect(o.gaps[1]).toBe(0);
    expect([h.sent, h.events]).toEqual([1, 3]);
  });

  it.each([
    ['no [DONE] and no finish chunk', [role, chunk({ content: 'a' })], 'protocol', /stream ended before/],
    ['finish chunk without [DONE] is fine', [role, chunk({ content: 'a' }), finish], null, null],
    ['only a role chunk', [role, finish, done], 'empty', /no tokens/],
    ['an error event in the stream', [role, chunk({ content: 'a' }), 'data: {"error":{"message":"engine died","code":500}}\n\n', done], 'api_error', /engine died/],
    ['malformed JSON in a data line', [role, 'data: {"choices":[{\n\n', done], 'protocol', /invalid JSON/],
  ] as const)('%s', (_name, chunks, cls, msg) => {
    const o = harness().respond(200, [...chunks]);
    expect(o.errorClass).toBe(cls);
    if (msg) expect(o.errorMessage).toMatch(msg);
  });

  it.each([
    [429, '{"error":{"message":"slow down"}}', 'http_429', 'HTTP 429: slow down'],
    [503, 'upstream \u001b[31mdown', 'http_5xx', 'HTTP 503: upstream [31mdown'],
    [404, '{"object":"error","message":"model x not found"}', 'http_4xx', 'HTTP 404: model x not found'],
  ] as const)('HTTP %i is %s with the body message, control characters stripped', (status, body, cls, msg) => {
    const o = harness().respond(status, [body]);
    expect(o).toMatchObject({ status, errorClass: cls, errorMessage: msg, contentEvents: 0 });
  });

  it('non-streamed: one content event, text and usage from the body', () => {
    const o = harness(false, true).respond(200, ['{"choices":[{"message":{"role":"assistant","content":"Hi there"}}],', '"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}']);
    expect(o).toMatchObject({ errorClass: null, contentEvents: 1, reply: { text: 'Hi there' }, usage: { promptTokens: 3, completionTokens: 2 } });
    expect(o.firstTokenAt).toBeNaN();
  });

  it.each([
    ['an error object in a 200 JSON body', '{"object":"error","message":"engine overloaded","code":500}', 'api_error', 0],
    ['a server that ignored stream: true', '{"choices":[{"message":{"content":"hi"}}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}', null, 1],
  ])('a streamed request answered with JSON: %s', (_name, body, cls, events) => {
    const o = harness(true).respond(200, [body], { 'content-type': 'application/json' });
    expect(o.errorClass).toBe(cls);
    expect(o.contentEvents).toBe(events);
    expect(o.firstTokenAt).toBeNaN();
  });

  it('a deadline before the request has a socket ends it at once, and aborts it when the socket comes', () => {
    const h = harness();
    h.ex.fail(new RequestTimeoutError('no complete response within 5 ms (--timeout)'));
    expect(h.outcome).toMatchObject({ errorClass: 'timeout', sentAt: NaN });
    h.ex.onRequestStart(h.controller);
    expect(h.aborted).toHaveLength(1);
    expect(h.sent).toBe(0);
    h.ex.onResponseError(h.controller, h.aborted[0]!); // undici's answer to the abort: ignored
    expect(h.outcome!.errorClass).toBe('timeout');
  });

  it('a stop while streaming aborts through the controller and is recorded as aborted', () => {
    const h = harness();
    h.ex.onRequestStart(h.controller);
    h.ex.onResponseStart(h.controller, 200);
    h.ex.onResponseData(h.controller, Buffer.from(role + chunk({ content: 'a' })));
    h.ex.fail(new RequestAbortedError('aborted by a second stop signal'));
    expect(h.aborted).toHaveLength(1);
    h.ex.onResponseError(h.controller, h.aborted[0]!);
    expect(h.outcome).toMatchObject({ errorClass: 'aborted', contentEvents: 1 });
  });

  it('a socket error after [DONE] loses nothing: still a success', () => {
    const h = harness();
    h.ex.onRequestStart(h.controller);
    h.ex.onResponseStart(h.controller, 200);
    h.ex.onResponseData(h.controller, Buffer.from(role + chunk({ content: 'a' }) + finish + done));
    h.ex.onResponseError(h.controller, Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
    expect(h.outcome!.errorClass).toBeNull();
  });

  describe('reuse for the next request', () => {
    it('is refused until undici has made its last call', () => {
      const h = harness();
      expect(() => h.ex.reuse(false)).toThrow(/only after undici/);
      h.ex.fail(new RequestTimeoutError('no complete response within 5 ms (--timeout)'));
      // Ended for us, but undici has not had the request yet: it will still call this object.
      expect(h.ex.reusable).toBe(false);
      h.ex.onRequestStart(h.controller);
      h.ex.onResponseError(h.controller, h.aborted[0]!);
      expect(h.ex.reusable).toBe(true);
    });

    it('starts clean: nothing of the last request (counts, usage, errors, a line cut mid-stream)', () => {
      const h = harness(true, false);
      h.ex.onRequestStart(h.controller);
      h.ex.onResponseStart(h.controller, 200);
      const a = (t: string) => `data: {"id":"A","choices":[{"index":0,"delta":{"content":"${t}"},"finish_reason":null}]}\n\n`;
      h.ex.onResponseData(h.controller, Buffer.from(role + a('x') + a('y') + a('z') + usage + 'data: {"id":"A","cho'));
      h.ex.onResponseError(h.controller, Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
      expect(h.outcome).toMatchObject({ errorClass: 'reset', contentEvents: 3, usage: { completionTokens: 5 } });

      h.ex.reuse(false);
      // The last stream's cut line must not prefix this one's first line.
      const b = (t: string) => `data: {"id":"B","choices":[{"index":0,"delta":{"content":"${t}"},"finish_reason":null}]}\n\n`;
      const o = h.respond(200, [b('p') + b('qq'), finish + done]);
      expect(o).toMatchObject({ status: 200, errorClass: null, contentEvents: 2, usage: null, reply: null });
      expect(o.gaps).toHaveLength(1);
      expect(h.events).toBe(5);
    });

    it('collects text or not, as the next request asks', () => {
      const h = harness(true, false);
      expect(h.respond(200, [role, chunk({ content: 'a' }), finish, done]).reply).toBeNull();
      h.ex.reuse(true);
      expect(h.respond(200, [role, chunk({ content: 'b' }), chunk({ content: 'c' }), finish, done]).reply).toMatchObject({ text: 'bc' });
    });
  });
});
