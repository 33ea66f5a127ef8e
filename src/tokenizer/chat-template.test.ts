import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../cli/e2e.test-util.js';
import { writeTokenizer } from './fixtures.test-util.js';
import { hubOptions, resolveTokenizer } from './resolve.js';
import { loadTokenizer, TokenizerError, type Tokenizer } from './tokenizer.js';

const tmp = tempDir('chat-template');
afterAll(() => tmp.remove());

// A Llama-3-like template: BOS, role headers, and the assistant header when a reply is wanted.
const TEMPLATE = "{{ bos_token }}{% for m in messages %}<|start_header_id|>{{ m.role }}<|end_header_id|> {{ m.content }}<|eot_id|>{% endfor %}{% if add_generation_prompt %}<|start_header_id|>assistant<|end_header_id|>{% endif %}";

async function withConfig(name: string, config: object): Promise<Tokenizer> {
  const dir = writeTokenizer(join(tmp.path, name), 'llama3', ['hello', 'world', 'user', 'assistant', 'system']);
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(config));
  return loadTokenizer({ kind: 'hf', name, file: join(dir, 'tokenizer.json'), config: join(dir, 'tokenizer_config.json') });
}

describe('chat templates', () => {
  it('counts chat messages as rendered by the template, generation prompt and BOS included', async () => {
    const tok = await withConfig('plain', { chat_template: TEMPLATE, bos_token: '<|begin_of_text|>' });
    const messages = [{ role: 'system', content: 'hello' }, { role: 'user', content: 'hello world' }];
    const rendered = '<|begin_of_text|><|start_header_id|>system<|end_header_id|> hello<|eot_id|><|start_header_id|>user<|end_header_id|> hello world<|eot_id|><|start_header_id|>assistant<|end_header_id|>';
    expect(tok.countChat(messages)).toBe(tok.count(rendered));
    // The template's tokens come on top of the contents: BOS alone is one token (an added token).
    expect(tok.countChat(messages)! - tok.count('hello hello world')).toBeGreaterThan(10);
    expect(tok.count('<|begin_of_text|>')).toBe(1);
  });

  it('takes the default of named templates, and a token given as an object', async () => {
    const tok = await withConfig('named', { chat_template: [{ name: 'tool_use', template: 'x' }, { name: 'default', template: TEMPLATE }], bos_token: { content: '<|begin_of_text|>' } });
    expect(tok.countChat([{ role: 'user', content: 'hello' }])).toBe(tok.count('<|begin_of_text|><|start_header_id|>user<|end_header_id|> hello<|eot_id|><|start_header_id|>assistant<|end_header_id|>'));
  });

  it('reads a chat_template.jinja beside the tokenizer (newer models), before the config\'s', async () => {
    const dir = writeTokenizer(join(tmp.path, 'jinja-file'), 'llama3', ['hello']);
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ chat_template: 'ignored {{ messages[0].content }}', bos_token: '<|begin_of_text|>' }));
    writeFileSync(join(dir, 'chat_template.jinja'), TEMPLATE);
    const spec = await resolveTokenizer(dir, hubOptions({}));
    expect(spec).toMatchObject({ kind: 'hf', template: join(dir, 'chat_template.jinja') });
    const tok = await loadTokenizer(spec);
    expect(tok.countChat([{ role: 'user', content: 'hello' }])).toBe(tok.count('<|begin_of_text|><|start_header_id|>user<|end_header_id|> hello<|eot_id|><|start_header_id|>assistant<|end_header_id|>'));
  });

  it('is null without a template (and for tiktoken): the caller counts the text alone', async () => {
    expect((await withConfig('none', {})).countChat([{ role: 'user', content: 'hello' }])).toBeNull();
    expect((await loadTokenizer({ kind: 'tiktoken', encoding: 'cl100k_base' })).countChat([{ role: 'user', content: 'hi' }])).toBeNull();
  });

  it('is null for messages the template refuses, and a template that does not parse is a clear error', async () => {
    const strict = await withConfig('strict', { chat_template: "{% for m in messages %}{% if m.role == 'system' %}{{ raise_exception('no system') }}{% endif %}{{ m.content }}{% endfor %}" });
    expect(strict.countChat([{ role: 'system', content: 'hello' }])).toBeNull();
    expect(strict.countChat([{ role: 'user', content: 'hello' }])).toBe(strict.count('hello'));
    await expect(withConfig('broken', { chat_template: '{% for m in messages %}' })).rejects.toThrow(TokenizerError);
    await expect(withConfig('broken2', { chat_template: '{% for m in messages %}' })).rejects.toThrow(/its chat_template does not parse .*fix it or remove it from tokenizer_config\.json/);
  });
});
