/**
 * Prompt texts, verbatim from the reference harnesses (EVAL.md records which is which). A
 * template's name is what eval.json reports, so a result always says which prompt produced it.
 */

/** simple-evals QUERY_TEMPLATE_MULTICHOICE (MMLU 0-shot CoT); options `A) ...`. */
export const SIMPLE_EVALS_MC =
  "Answer the following multiple choice question. The last line of your response should be of the following format: 'Answer: $LETTER' (without quotes) where LETTER is one of ABCD. Think step by step before answering.\n\n{question}\n\n{choices}";

/** EvalScope MultipleChoiceTemplate.SINGLE_ANSWER_COT; `{letters}` is `A,B,C,D`. */
export const EVALSCOPE_SINGLE_COT =
  "Answer the following multiple choice question. The last line of your response should be of the following format: 'ANSWER: [LETTER]' (without quotes) where [LETTER] is one of {letters}. Think step by step before answering.\n\n{question}\n\n{choices}";

/** EvalScope MultipleChoiceTemplate.MULTIPLE_ANSWER_COT (TruthfulQA MC2-gen). */
export const EVALSCOPE_MULTI_COT =
  "Answer the following multiple choice question where multiple answers may be correct. The last line of your response should be of the following format: 'ANSWER: [LETTERS]' (without quotes) where [LETTERS] is one or more of {letters}. Think step by step before answering.\n\n{question}\n\n{choices}";

/** EvalScope CHINESE_SINGLE_ANSWER_TEMPLATE_COT (CMMLU, C-Eval). */
export const EVALSCOPE_ZH_SINGLE_COT =
  '回答下面的单项选择题，请选出其中的正确答案。你的回答的最后一行应该是这样的格式："答案：[LETTER]"（不带引号），其中 [LETTER] 是 {letters} 中的一个。请在回答前进行一步步思考。\n\n问题：{question}\n选项：\n{choices}\n';

/** EvalScope GSM8K / MATH-500 0-shot prompt. */
export const EVALSCOPE_BOXED = '{question}\nPlease reason step by step, and put your final answer within \\boxed{}.';

/** simple-evals HumanEval instruction, followed directly by the problem's prompt. */
export const SIMPLE_EVALS_HUMANEVAL =
  'Read the following function signature and docstring, and fully implement the function described. Your response should only contain the code for this function.\n';

/** Stop sequences of the Codex paper for raw code completion (completions API). */
export const HUMANEVAL_STOP = ['\nclass', '\ndef', '\n#', '\nif', '\nprint'];

/** Replaces `{name}`; a template's other braces (`\boxed{}`) are left alone. */
export function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, k: string) => (k in vars ? vars[k]! : whole));
}

/** `A) text` lines (simple-evals, EvalScope). */
export function parenOptions(choices: readonly string[]): string {
  return choices.map((c, k) => `${String.fromCharCode(65 + k)}) ${c}`).join('\n');
}

export function letterList(n: number): string {
  return Array.from({ length: n }, (_, k) => String.fromCharCode(65 + k)).join(',');
}

/**
 * lm-eval's multiple-choice doc_to_text: the question, `A. text` lines, then the answer cue
 * (`Answer:`, or `答案：` for CMMLU / C-Eval).
 */
export function dottedBlock(question: string, choices: readonly string[], cue: string): string {
  const opts = choices.map((c, k) => `${String.fromCharCode(65 + k)}. ${c}`).join('\n');
  return `${question}\n${opts}\n${cue}`;
}
