import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../cli/e2e.test-util.js';
import { WORDS } from '../datasets/synthetic.js';
import { buildTokenizerJson, writeTokenizer } from './fixtures.test-util.js';
import { hubOptions, resolveTokenizer, type HubOptions } from './resolve.js';
import { loadTokenizer } from './tokenizer.js';

const tmp = tempDir('tokenizer');

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
afterAll(() => tmp.remove());

describe('--tokenizer as a file, a folder or tiktoken', () => {
  // Nothing here may reach a hub: a file, a folder or tiktoken never downloads.
  const offline: HubOptions = { baseUrl: 'http://127.0.0.1:1', cacheDir: join(tmp.path, 'never'), token: null };

  it('takes a tokenizer.json, or a folder holding one with its tokenizer_config.json', async () => {
    const dir = writeTokenizer(join(tmp.path, 'local'), 'llama3', WORDS);
    const file = join(dir, 'tokenizer.json');
    expect(await resolveTokenizer(dir, offline)).toEqual({ kind: 'hf', name: dir, file, config: join(dir, 'tokenizer_config.json') });
    const spec = await resolveTokenizer(file, offline);
    expect(spec).toMatchObject({ kind: 'hf', file });
    const tok = await loadTokenizer(spec);
    expect(tok.name).toBe(`hf:${file}`);
    // The post-processor's BOS is not counted: a prompt's tokens are its text's.
    expect(tok.count('the of and')).toBe(3);
  });

  it('takes tiktoken encodings by name', async () => {
    const spec = await resolveTokenizer('tiktoken:cl100k_base', offline);
    expect(spec).toEqual({ kind: 'tiktoken', encoding: 'cl100k_base' });
    const tok = await loadTokenizer(spec);
    expect(tok.name).toBe('tiktoken:cl100k_base');
    expect(tok.count('hello world')).toBe(2);
    // Special-token text in a prompt is text, not an error.
    expect(tok.count('<|endoftext|>')).toBeGreaterThan(1);
  });

  it.each([
    ['tiktoken:o300k', /--tokenizer tiktoken:o300k: unknown encoding; expected tiktoken:o200k_base \| tiktoken:cl100k_base/],
    ['./missing/tokenizer.json', /no such file or folder; pass a tokenizer.json, a folder with one, a hub id/],
    ['not a hub id', /no such file or folder/],
  ])('refuses %j', async (arg, msg) => {
    await expect(resolveTokenizer(arg, offline)).rejects.toThrow(msg);
  });

  it('says which file is wrong and why', async () => {
    const empty = join(tmp.path, 'empty');
    mkdirSync(empty);
    await expect(resolveTokenizer(empty, offline)).rejects.toThrow(`${empty} has no tokenizer.json`);
    const broken = join(tmp.path, 'broken.json');
    writeFileSync(broken, '{"model": ');
    await expect(loadTokenizer(await resolveTokenizer(broken, offline))).rejects.toThrow(/broken.json: not a valid tokenizer.json/);
    const notTok = join(tmp.path, 'other.json');
    writeFileSync(notTok, '{"name": "x"}');
    await expect(loadTokenizer(await resolveTokenizer(notTok, offline))).rejects.toThrow(/other.json: no "model" section/);
    const odd = join(tmp.path, 'odd.json');
    writeFileSync(odd, JSON.stringify({ model: { type: 'Mystery' } }));
    await expect(loadTokenizer(await resolveTokenizer(odd, offline))).rejects.toThrow(/odd.json: this tokenizer cannot be loaded/);
  });
});

describe('--tokenizer as a hub id, from a local server with the hub layout', () => {
  let server: Server;
  let base: string;
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  const tokenizerJson = JSON.stringify(buildTokenizerJson('gpt2', WORDS));
  const template = '{% for m in messages %}{{ m.content }}{% endfor %}';
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url!, headers: req.headers });
      if (req.url === '/acme/tiny-lm/resolve/main/tokenizer.json') return res.end(tokenizerJson);
      if (req.url === '/acme/tiny-lm/resolve/main/tokenizer_config.json') return res.end('{"model_max_length": 2048}');
      // Only its template: old-lm stands for a folder already cached, so nothing else may be asked.
      if (req.url === '/acme/old-lm/resolve/main/chat_template.jinja') return res.end(template);
      if (req.url?.startsWith('/gated/')) return res.writeHead(req.headers.authorization === 'Bearer hf_test' ? 404 : 401).end();
      res.writeHead(404).end('Entry not found');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('downloads tokenizer.json and its config once into the cache, then reads the cache', async () => {
    const cache = join(tmp.path, 'cache');
    const downloads: string[] = [];
    const hub = { ...hubOptions({ EVALPERF_HUB_URL: `${base}/`, EVALPERF_CACHE: cache }), onDownload: (u: string) => downloads.push(u) };
    expect(hub.cacheDir).toBe(join(cache, 'tokenizers'));
    const spec = await resolveTokenizer('acme/tiny-lm', hub);
    const dir = join(cache, 'tokenizers', 'acme', 'tiny-lm');
    expect(spec).toEqual({ kind: 'hf', name: 'acme/tiny-lm', file: join(dir, 'tokenizer.json'), config: join(dir, 'tokenizer_config.json') });
    expect(readFileSync(join(dir, 'tokenizer.json'), 'utf8')).toBe(tokenizerJson);
    expect(downloads).toEqual([`${base}/acme/tiny-lm/resolve/main/tokenizer_config.json`, `${base}/acme/tiny-lm/resolve/main/tokenizer.json`]);
    expect((await loadTokenizer(spec)).count('the of and')).toBe(3);
    const before = seen.length;
    await resolveTokenizer('acme/tiny-lm', hub);
    expect(seen.length).toBe(before);
  });

  it('names the URL and the fix when the hub says no', async () => {
    const hub = hubOptions({ EVALPERF_HUB_URL: base, EVALPERF_CACHE: join(tmp.path, 'c2') });
    await expect(resolveTokenizer('acme/nothing', hub)).rejects.toThrow(`--tokenizer acme/nothing: download failed: ${base}/acme/nothing/resolve/main/tokenizer.json: HTTP 404, no such model or no tokenizer.json in it`);
    await expect(resolveTokenizer('gated/model', hub)).rejects.toThrow(/HTTP 401, the model is gated or private: set HF_TOKEN/);
    // HF_TOKEN is sent as a bearer token to the hub.
    await expect(resolveTokenizer('gated/model', hubOptions({ EVALPERF_HUB_URL: base, EVALPERF_CACHE: join(tmp.path, 'c3'), HF_TOKEN: 'hf_test' }))).rejects.toThrow(/HTTP 404/);
    expect(seen.at(-1)!.headers.authorization).toBe('Bearer hf_test');
    const closed = await closedPort();
    const down = hubOptions({ EVALPERF_HUB_URL: `http://127.0.0.1:${closed}`, EVALPERF_CACHE: join(tmp.path, 'c4') });
    await expect(resolveTokenizer('acme/tiny-lm', down)).rejects.toThrow(/download failed: http:\/\/127.0.0.1:\d+\/acme\/tiny-lm\/resolve\/main\/tokenizer_config.json: .*ECONNREFUSED.*EVALPERF_HUB_URL/);
  });

  describe('a folder cached by an older evalperf, before chat_template.jinja was fetched', () => {
    /** What such a version left: tokenizer.json and its config, no template, no note of what was asked. */
    const oldCache = (name: string, id: string): { cache: string; dir: string } => {
      const cache = join(tmp.path, name);
      return { cache, dir: writeTokenizer(join(cache, 'tokenizers', id), 'gpt2', WORDS) };
    };
    const urlsSince = (n: number): string[] => seen.slice(n).map((s) => s.url);

    it('asks for the template once, then reads the cache', async () => {
      const { cache, dir } = oldCache('old', 'acme/old-lm');
      const downloads: string[] = [];
      const hub = { ...hubOptions({ EVALPERF_HUB_URL: base, EVALPERF_CACHE: cache }), onDownload: (u: string) => downloads.push(u) };
      const before = seen.length;
      expect(await resolveTokenizer('acme/old-lm', hub)).toMatchObject({ file: join(dir, 'tokenizer.json'), template: join(dir, 'chat_template.jinja') });
      expect(readFileSync(join(dir, 'chat_template.jinja'), 'utf8')).toBe(template);
      expect(downloads).toEqual([`${base}/acme/old-lm/resolve/main/chat_template.jinja`]);
      await resolveTokenizer('acme/old-lm', hub);
      expect(urlsSince(before)).toEqual(['/acme/old-lm/resolve/main/chat_template.jinja']);
    });

    it('asks once for a template the hub does not have, not on every run', async () => {
      const { cache, dir } = oldCache('old-none', 'acme/tiny-lm');
      const hub = hubOptions({ EVALPERF_HUB_URL: base, EVALPERF_CACHE: cache });
      const before = seen.length;
      const spec = { kind: 'hf', name: 'acme/tiny-lm', file: join(dir, 'tokenizer.json'), config: join(dir, 'tokenizer_config.json') };
      expect(await resolveTokenizer('acme/tiny-lm', hub)).toEqual(spec);
      expect(await resolveTokenizer('acme/tiny-lm', hub)).toEqual(spec);
      expect(urlsSince(before)).toEqual(['/acme/tiny-lm/resolve/main/chat_template.jinja']);
    });

    it('offline, is used as it is, and asks again once the hub answers', async () => {
      const { cache, dir } = oldCache('old-offline', 'acme/old-lm');
      const down = hubOptions({ EVALPERF_HUB_URL: `http://127.0.0.1:${await closedPort()}`, EVALPERF_CACHE: cache });
      expect(await resolveTokenizer('acme/old-lm', down)).toEqual({ kind: 'hf', name: 'acme/old-lm', file: join(dir, 'tokenizer.json'), config: join(dir, 'tokenizer_config.json') });
      const up = hubOptions({ EVALPERF_HUB_URL: base, EVALPERF_CACHE: cache });
      expect(await resolveTokenizer('acme/old-lm', up)).toMatchObject({ template: join(dir, 'chat_template.jinja') });
    });
  });
});
