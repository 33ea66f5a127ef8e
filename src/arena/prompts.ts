/**
 * Judge prompts. A template is plain text with placeholders: {question}, {reference} (the
 * reference answer, or empty), and {answer_a} and {answer_b} to compare two answers, or
 * {answer} to grade one. `--judge-prompt FILE` replaces the default; `--print-prompt` prints it.
 */
export type JudgeKind = 'pair' | 'single';

const PAIR_INTRO = `You are judging two AI assistants' answers to the same user question. Decide which answer serves the user better: correct first, then helpful, relevant and complete without padding. Do not let the order in which the answers appear, their length or any names sway you.`;

const PAIR_END = `Explain your reasoning briefly, then finish with your final verdict on a line of its own, exactly one of:
[[A>>B]] if Assistant A's answer is much better,
[[A>B]] if Assistant A's answer is better,
[[A=B]] if they are about as good,
[[B>A]] if Assistant B's answer is better,
[[B>>A]] if Assistant B's answer is much better.`;

const PAIR_ANSWERS = `[Assistant A's answer]
{answer_a}
[End of Assistant A's answer]

[Assistant B's answer]
{answer_b}
[End of Assistant B's answer]`;

const SINGLE_INTRO = `You are grading an AI assistant's answer to a user question. Rate it from 1 (wrong or useless) to 10 (excellent): correct first, then helpful, relevant, complete and clear.`;

const SINGLE_END = `Explain your reasoning briefly, then finish with the rating on a line of its own, in exactly this form: Rating: [[N]]`;

const SINGLE_ANSWER = `[The assistant's answer]
{answer}
[End of the assistant's answer]`;

const REFERENCE_NOTE = ' A reference answer is given: judge correctness against it.';

/** The built-in templates, with a reference answer and without one. */
export const DEFAULT_PROMPTS: Record<JudgeKind, { withReference: string; plain: string }> = {
  pair: {
    withReference: `${PAIR_INTRO}${REFERENCE_NOTE}\n\n[Question]\n{question}\n\n[Reference answer]\n{reference}\n[End of reference answer]\n\n${PAIR_ANSWERS}\n\n${PAIR_END}`,
    plain: `${PAIR_INTRO}\n\n[Question]\n{question}\n\n${PAIR_ANSWERS}\n\n${PAIR_END}`,
  },
  single: {
    withReference: `${SINGLE_INTRO}${REFERENCE_NOTE}\n\n[Question]\n{question}\n\n[Reference answer]\n{reference}\n[End of reference answer]\n\n${SINGLE_ANSWER}\n\n${SINGLE_END}`,
    plain: `${SINGLE_INTRO}\n\n[Question]\n{question}\n\n${SINGLE_ANSWER}\n\n${SINGLE_END}`,
  },
};

const REQUIRED: Record<JudgeKind, readonly string[]> = { pair: ['question', 'answer_a', 'answer_b'], single: ['question', 'answer'] };

/** A user's template must show the judge everything it is asked to judge. */
export function checkTemplate(template: string, kind: JudgeKind, file: string): void {
  const missing = REQUIRED[kind].filter((p) => !template.includes(`{${p}}`));
  if (missing.length > 0) {
    throw new Error(`${file} has no ${missing.map((p) => `{${p}}`).join(', ')}: a ${kind === 'pair' ? 'pairwise' : 'single-answer'} judge prompt needs ${REQUIRED[kind].map((p) => `{${p}}`).join(', ')}`);
  }
}

export interface PromptValues {
  question: string;
  reference: string | null;
  answer_a?: string;
  answer_b?: string;
  answer?: string;
}

/**
 * Fills the placeholders in one pass, so a placeholder inside a question or an answer is left
 * as text. Other braces (a JSON example in a user's template) are left alone.
 */
export function renderPrompt(template: string, v: PromptValues): string {
  return template.replace(/\{(question|reference|answer_a|answer_b|answer)\}/g, (_, k: keyof PromptValues) => v[k] ?? '');
}

/** The template for a question: the user's, or the built-in one that fits whether it has a reference. */
export function templateFor(kind: JudgeKind, custom: string | null, hasReference: boolean): string {
  if (custom !== null) return custom;
  return hasReference ? DEFAULT_PROMPTS[kind].withReference : DEFAULT_PROMPTS[kind].plain;
}
