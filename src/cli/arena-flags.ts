import type { Argv } from 'yargs';
import { ARENA_MODES } from '../arena/battles.js';
import type { CommandSpec } from './command-spec.js';
import { generateApiFlag, loadFlags } from './run-flags.js';

export function arenaFlags(y: Argv) {
  return (
    loadFlags(y)
      .option('api', generateApiFlag)
      // --model takes a list of contestants here, not one model id; --url has no meaning (every
      // participant names its own) and is refused with a reason if given.
      .option('model', { type: 'string', array: true, describe: 'a model to rank: name=URL#model (repeat; #model defaults to the first of /v1/models); key from $EVALPERF_KEY_<NAME>' })
      .hide('url')
      .hide('sim-faults')
      .hide('pause')
      // Shared flags whose meaning narrows here.
      .option('parallel', { type: 'number', array: true, describe: 'closed loop: requests in flight to each server (one value); with --rate: the cap' })
      .option('rate', { type: 'number', array: true, describe: 'open loop: requests per second to each server (one value)' })
      .option('temperature', { type: 'number', describe: 'sampling temperature of the answers (default 0; the judge always uses 0)' })
      .option('extra-body', { type: 'string', describe: 'JSON object merged into every answer request (not the judge\'s)' })
      .option('out', { type: 'string', default: 'reports', describe: 'output folder; each arena writes <out>/<time>-arena/' })
      .option('judge', { type: 'string', describe: 'the judge: URL#model; key from $EVALPERF_KEY_JUDGE' })
      .option('questions', { type: 'string', describe: 'JSONL, one {"question", "reference"?, "category"?, "id"?} per line (default: datasets/arena-questions.jsonl)' })
      .option('limit', { type: 'number', describe: 'only the first N questions' })
      .option('mode', { choices: ARENA_MODES, default: 'pairwise' as const, describe: 'pairwise: all pairs; baseline: each model against --baseline; single: each answer graded 1-10' })
      .option('baseline', { type: 'string', describe: 'the model the others are compared with (and held at rating 1000); default for --mode baseline: the first --model' })
      .option('max-tokens', { type: 'number', default: 1024, describe: 'max_tokens of each answer' })
      .option('judge-max-tokens', { type: 'number', default: 2048, describe: 'max_tokens of each verdict' })
      .option('judge-prompt', { type: 'string', describe: 'judge prompt template file: {question} {reference} and {answer_a} {answer_b} (pairs) or {answer} (single)' })
      .option('print-prompt', { type: 'boolean', default: false, describe: 'print the built-in judge prompt of --mode (to copy and edit) and exit' })
      .option('verdict-pattern', { type: 'string', array: true, describe: 'regex capturing the verdict (A>>B ... B>>A) or the 1-10 score in group 1; repeat to try several in order; replaces the built-in ones' })
      .option('bootstrap', { type: 'number', default: 1000, describe: 'bootstrap rounds for the 95% intervals (seeded by --seed; 0 = none)' })
      .option('resume', { type: 'string', describe: 'continue an arena run folder: cached answers and verdicts are not asked again' })
      .option('json', { type: 'boolean', default: false, describe: 'print arena.json (leaderboard best first) to stdout instead of the table' })
  );
}

export const arenaCommandSpec: CommandSpec = {
  name: 'arena',
  describe: 'rank models by a judge model: pairwise, against a baseline or graded, Bradley-Terry ratings with intervals',
  builder: arenaFlags,
  async handler(args) {
    const { arenaCommand } = await import('./arena-command.js');
    return arenaCommand(args as never);
  },
};
