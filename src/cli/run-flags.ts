import type { Argv } from 'yargs';
import type { PlanOptions } from '../config/run-plan.js';
import type { CommandSpec } from './command-spec.js';
import { withScenario } from './scenario-flag.js';

/** --api for the commands that need generated text (eval, arena); run adds embeddings and rerank. */
export const generateApiFlag = { choices: ['chat', 'completions'] as const, describe: 'endpoint kind (default chat, or from --url)' };

/** Flags every command that sends load has: target, load levels, request basics, output. */
export function loadFlags(y: Argv) {
  return y
    .option('url', { type: 'string', describe: 'API base (http://host:8000/v1) or full endpoint; omit to use the built-in simulator' })
    .option('model', { type: 'string', describe: 'model name (default: first id of /v1/models)' })
    .option('parallel', { type: 'number', array: true, describe: 'closed loop: concurrent users (several values = a sweep); with --rate: cap on requests in flight' })
    .option('rate', { type: 'number', array: true, describe: 'open loop: arrivals per second (several values = a sweep)' })
    .option('arrival', { type: 'string', default: 'poisson', describe: 'open-loop arrivals: poisson | constant | gamma[:burstiness]' })
    .option('pause', { type: 'string', default: '0', describe: 'pause between sweep steps (e.g. 5s)' })
    .option('stream', { type: 'boolean', default: true, describe: 'stream responses (--no-stream for one JSON body)' })
    .option('temperature', { type: 'number', describe: 'sampling temperature' })
    .option('extra-body', { type: 'string', describe: 'JSON object merged into every request body' })
    .option('api-key', { type: 'string', describe: 'bearer token (default: $OPENAI_API_KEY); never written to any output' })
    .option('header', { type: 'string', array: true, describe: 'extra request header name:value (repeatable)' })
    .option('timeout', { type: 'string', default: '10m', describe: 'per-request deadline, reported as timeout' })
    .option('workers', { type: 'number', describe: 'load worker threads (default: cores - 1, at least 1)' })
    .option('seed', { type: 'number', default: 1, describe: 'seed for prompts, shuffles and arrival schedules' })
    .option('out', { type: 'string', default: 'reports', describe: 'output folder; each run writes <out>/<time>-<model>/' })
    .option('tui', { type: 'boolean', default: true, describe: 'live dashboard on a terminal (--no-tui for plain progress lines)' })
    .option('insecure', { type: 'boolean', default: false, describe: 'do not verify the server\'s TLS certificate (recorded in run.json and the report)' })
    .option('sim-faults', { type: 'string', describe: 'built-in simulator only: inject faults, e.g. 500:0.02,reset-mid:0.01 (see evalperf serve --help)' });
}

export function runFlags(y: Argv) {
  return loadFlags(y)
    .option('number', { type: 'number', array: true, describe: 'requests per step, exact (one value, or one per step); default 5 x parallel, min 100' })
    .option('duration', { type: 'string', describe: 'time per step (500ms, 30s, 10m); with --number, whichever comes first' })
    .option('warmup', { type: 'number', default: 0, describe: 'requests sent first and not measured' })
    .option('dataset', { type: 'string', describe: 'prompts: random (default), jsonl:FILE (text, messages or whole bodies per line), lines:FILE (one prompt per line), sharegpt:FILE' })
    .option('tokenizer', { type: 'string', describe: 'count tokens and build exact-length prompts: a tokenizer.json (file or folder), a Hugging Face hub id, or tiktoken:ENCODING (o200k_base, cl100k_base, p50k_base, r50k_base, gpt2)' })
    .option('input-tokens', { type: 'string', describe: 'random prompt length: N, MIN:MAX or normal:MEAN,STDEV (default 128; exact with --tokenizer, else words)' })
    .option('prefix-tokens', { type: 'number', describe: 'random prompts: the first N tokens are shared by all (prefix-cache tests)' })
    .option('max-tokens', { type: 'string', describe: 'max_tokens per request: N, MIN:MAX, normal:MEAN,STDEV, or dataset (a line\'s own, ShareGPT\'s reply length); default 128' })
    .option('ignore-eos', { type: 'boolean', describe: 'send ignore_eos and min_tokens = max_tokens, so replies are as long as asked (vLLM, SGLang)' })
    .option('api', { choices: ['chat', 'completions', 'embeddings', 'rerank'] as const, describe: 'endpoint kind (default chat, or from --url); embeddings and rerank measure latency and input tokens/s (nothing is generated)' })
    .option('documents', { type: 'number', describe: '--api rerank: documents per request, each a random prompt of --input-tokens (default 4; the query is 16 tokens)' })
    .option('images', { type: 'number', describe: 'vision models: add N generated PNG images (data URLs) to each random chat prompt, every one distinct' })
    .option('image-size', { type: 'string', describe: 'size of the --images, WIDTHxHEIGHT (default 512x512)' })
    .option('turns', { type: 'string', describe: 'multi-turn: each user plays conversations, sending the real replies back as history. Random prompts: turns per conversation, N or MIN:MAX; a dataset (sharegpt, jsonl messages): at most N of its user turns, or all' })
    .option('think-time', { type: 'string', describe: 'multi-turn: pause between a reply and the next turn (e.g. 2s); default 0' })
    .option('slo', { type: 'string', describe: 'goodput objectives, e.g. ttft<=500ms,tpot<=50ms,e2e<=20s' })
    .option('stop-on-slo', { type: 'number', describe: 'end a sweep after the first step whose SLO attainment is below this fraction (needs --slo), e.g. 0.9' })
    .option('json', { type: 'boolean', default: false, describe: 'print summary.json to stdout instead of the table' });
}

export const runCommandSpec: CommandSpec = {
  name: 'run',
  describe: 'drive an OpenAI-compatible endpoint (or the built-in simulator) and measure it',
  // --scenario first, so --help lists it first; it reads the other options when it parses.
  builder: (y) => runFlags(withScenario(y)),
  async handler(args) {
    const { runCommand } = await import('./run-command.js');
    return runCommand(args as unknown as PlanOptions);
  },
};
