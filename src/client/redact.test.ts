import { describe, expect, it } from 'vitest';
import { redact, secretValues } from './redact.js';

describe('redact', () => {
  const secrets = secretValues({ authorization: 'Bearer sk-abc123456', 'x-api-key': 'k-999999', 'content-type': 'application/json', 'x-trace': 'visible-1234' });
  it('collects sensitive header values and bare bearer tokens, not ordinary headers', () => {
    expect(secrets).toEqual(['Bearer sk-abc123456', 'sk-abc123456', 'k-999999']);
  });
  it('adds credential-like query values of the endpoint', () => {
    expect(secretValues({}, '/v1/chat/completions?api_key=QSECRET1&api-version=2024&sig=abcd')).toEqual(['QSECRET1', 'abcd']);
  });
  it.each([
    ['HTTP 500: boom auth=Bearer sk-abc123456', 'HTTP 500: boom auth=***'],
    ['invalid key sk-abc123456 (twice: sk-abc123456)', 'invalid key *** (twice: ***)'],
    ['x-api-key k-999999 rejected', 'x-api-key *** rejected'],
    ['application/json visible-1234', 'application/json visible-1234'],
  ])('%s', (text, want) => expect(redact(text, secrets)).toBe(want));
});
