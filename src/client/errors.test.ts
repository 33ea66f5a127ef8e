import { describe, expect, it } from 'vitest';
import { RequestAbortedError, RequestTimeoutError, classifyError, classifyStatus, cleanMessage, errorBodyMessage } from './errors.js';

const coded = (code: string) => Object.assign(new Error(code), { code });

describe('classifyStatus', () => {
  it.each([
    [200, null],
    [204, null],
    [400, 'http_4xx'],
    [401, 'http_4xx'],
    [404, 'http_4xx'],
    [429, 'http_429'],
    [500, 'http_5xx'],
    [503, 'http_5xx'],
    [301, 'protocol'],
  ])('%i -> %s', (s, c) => expect(classifyStatus(s)).toBe(c));
});

describe('classifyError', () => {
  it.each([
    [new RequestTimeoutError('t'), true, 'timeout'],
    [new RequestAbortedError('a'), true, 'aborted'],
    [coded('ECONNREFUSED'), false, 'connect'],
    [coded('UND_ERR_CONNECT_TIMEOUT'), false, 'connect'],
    [coded('ENOTFOUND'), false, 'connect'],
    [coded('ECONNRESET'), true, 'reset'],
    [coded('UND_ERR_SOCKET'), true, 'reset'],
    [coded('UND_ERR_SOCKET'), false, 'connect'],
    [coded('EPIPE'), true, 'reset'],
    [coded('UND_ERR_DESTROYED'), true, 'aborted'],
    [coded('HPE_INVALID_CHUNK_SIZE'), true, 'protocol'],
  ])('%s (sent %s) -> %s', (err, sent, cls) => expect(classifyError(err, sent)).toBe(cls));
});

describe('error messages', () => {
  it.each([
    [400, '{"object":"error","message":"max_tokens too large","type":"BadRequestError","code":400}', 'HTTP 400: max_tokens too large'],
    [429, '{"error":{"message":"Rate limit reached","type":"requests"}}', 'HTTP 429: Rate limit reached'],
    [500, '{"error":"boom"}', 'HTTP 500: boom'],
    [422, '{"detail":"field required"}', 'HTTP 422: field required'],
    [502, '<html><body>Bad Gateway</body></html>', 'HTTP 502: <html><body>Bad Gateway</body></html>'],
    [503, '', 'HTTP 503'],
  ])('%i %s', (status, body, want) => expect(errorBodyMessage(status, body)).toBe(want));
  it('strips control characters and caps length', () => {
    expect(cleanMessage('a\u001b[31mb\r\nc')).toBe('a [31mb c');
    expect(cleanMessage('x'.repeat(500)).length).toBe(300);
  });
});
