/**
 * `--model name=URL#model` and `--judge URL#model`: who takes part in an arena, and where each
 * one's API key comes from. Keys are looked up here and handed to the request headers only.
 */

export interface ModelSpec {
  /** Short name used in the leaderboard, in file names (answers/<name>.jsonl) and in the key variable. */
  name: string;
  /** The API base (or a full endpoint) as given. */
  url: string;
  /** The served model id after `#`, or null: the first id of /v1/models. */
  model: string | null;
}

/** The judge's name: its key variable is EVALPERF_KEY_JUDGE, so no model may take it. */
export const JUDGE_NAME = 'judge';

// Names become file names and HTML text: keep them to characters that are safe in both.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** `URL#model`: a URL fragment is never sent to a server, so the first `#` starts the model id. */
function splitModel(text: string): { url: string; model: string | null } {
  const hash = text.indexOf('#');
  if (hash < 0) return { url: text, model: null };
  const model = text.slice(hash + 1).trim();
  return { url: text.slice(0, hash), model: model === '' ? null : model };
}

export function parseModelSpec(text: string): ModelSpec {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new Error(`--model ${JSON.stringify(text)}: expected name=URL#model, e.g. --model a=http://127.0.0.1:8000/v1#my-model`);
  const name = text.slice(0, eq).trim();
  if (!NAME.test(name)) throw new Error(`--model ${JSON.stringify(name)}=...: a name is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`);
  if (name.toLowerCase() === JUDGE_NAME) throw new Error(`--model ${name}=...: "${JUDGE_NAME}" is the judge's name (its key is EVALPERF_KEY_JUDGE); pick another`);
  const { url, model } = splitModel(text.slice(eq + 1).trim());
  if (url === '') throw new Error(`--model ${name}=: give the API base, e.g. ${name}=http://127.0.0.1:8000/v1`);
  return { name, url, model };
}

export function parseJudgeSpec(text: string): ModelSpec {
  const { url, model } = splitModel(text.trim());
  if (url === '') throw new Error('--judge: give the API base of the judge, e.g. --judge http://127.0.0.1:8000/v1#judge-model');
  return { name: JUDGE_NAME, url, model };
}

/** The variable that holds a participant's own key: EVALPERF_KEY_ + the name upper-cased, other characters as `_`. */
export function keyVariable(name: string): string {
  return `EVALPERF_KEY_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** Checks that names are unique and that no two share a key variable (`a-b` and `A_B` would). */
export function checkNames(specs: readonly ModelSpec[]): void {
  const byVar = new Map<string, string>();
  for (const s of specs) {
    const v = keyVariable(s.name);
    const other = byVar.get(v);
    if (other === s.name) throw new Error(`--model ${s.name} is given twice: each model needs its own name`);
    if (other !== undefined) throw new Error(`--model ${other} and ${s.name} would share the key variable ${v}: rename one`);
    byVar.set(v, s.name);
  }
}

/** Where a key came from, for run.json: the source is recorded, never the key. */
export type KeySource = 'EVALPERF_KEY_*' | '--api-key' | 'OPENAI_API_KEY' | 'none';

/**
 * A participant's API key: its own variable first, then the shared --api-key, then
 * OPENAI_API_KEY (as for `evalperf run`). Empty values count as absent.
 */
export function resolveKey(name: string, shared: string | undefined, env: NodeJS.ProcessEnv): { key: string | null; source: KeySource } {
  const own = env[keyVariable(name)];
  if (own) return { key: own, source: 'EVALPERF_KEY_*' };
  if (shared) return { key: shared, source: '--api-key' };
  if (env.OPENAI_API_KEY) return { key: env.OPENAI_API_KEY, source: 'OPENAI_API_KEY' };
  return { key: null, source: 'none' };
}
