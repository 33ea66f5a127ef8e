/**
 * MMLU's 57 subjects and their subcategories, as data: `subcategories` of hendrycks/test
 * `categories.py`. Each subcategory sits in one of the paper's four categories (that file's
 * `categories`), so a subject's category is derived from its subcategory, not stored.
 */

export const MMLU_CATEGORIES = ['STEM', 'humanities', 'social sciences', 'other (business, health, misc.)'] as const;

/** category -> its subcategories (categories.py `categories`) */
export const MMLU_CATEGORY_SUBCATEGORIES: Record<(typeof MMLU_CATEGORIES)[number], readonly string[]> = {
  STEM: ['physics', 'chemistry', 'biology', 'computer science', 'math', 'engineering'],
  humanities: ['history', 'philosophy', 'law'],
  'social sciences': ['politics', 'culture', 'economics', 'geography', 'psychology'],
  'other (business, health, misc.)': ['other', 'business', 'health'],
};

const CATEGORY_OF_SUBCATEGORY = new Map(Object.entries(MMLU_CATEGORY_SUBCATEGORIES).flatMap(([c, subs]) => subs.map((sub) => [sub, c] as const)));

/** The category a subject counts towards (the tables' test checks every subject has one). */
export function mmluCategory(subject: string): string {
  return CATEGORY_OF_SUBCATEGORY.get(MMLU_SUBJECTS[subject]!)!;
}

/** subject -> subcategory */
export const MMLU_SUBJECTS: Record<string, string> = {
  abstract_algebra: 'math',
  anatomy: 'health',
  astronomy: 'physics',
  business_ethics: 'business',
  clinical_knowledge: 'health',
  college_biology: 'biology',
  college_chemistry: 'chemistry',
  college_computer_science: 'computer science',
  college_mathematics: 'math',
  college_medicine: 'health',
  college_physics: 'physics',
  computer_security: 'computer science',
  conceptual_physics: 'physics',
  econometrics: 'economics',
  electrical_engineering: 'engineering',
  elementary_mathematics: 'math',
  formal_logic: 'philosophy',
  global_facts: 'other',
  high_school_biology: 'biology',
  high_school_chemistry: 'chemistry',
  high_school_computer_science: 'computer science',
  high_school_european_history: 'history',
  high_school_geography: 'geography',
  high_school_government_and_politics: 'politics',
  high_school_macroeconomics: 'economics',
  high_school_mathematics: 'math',
  high_school_microeconomics: 'economics',
  high_school_physics: 'physics',
  high_school_psychology: 'psychology',
  high_school_statistics: 'math',
  high_school_us_history: 'history',
  high_school_world_history: 'history',
  human_aging: 'health',
  human_sexuality: 'culture',
  international_law: 'law',
  jurisprudence: 'law',
  logical_fallacies: 'philosophy',
  machine_learning: 'computer science',
  management: 'business',
  marketing: 'business',
  medical_genetics: 'health',
  miscellaneous: 'other',
  moral_disputes: 'philosophy',
  moral_scenarios: 'philosophy',
  nutrition: 'health',
  philosophy: 'philosophy',
  prehistory: 'history',
  professional_accounting: 'other',
  professional_law: 'law',
  professional_medicine: 'health',
  professional_psychology: 'psychology',
  public_relations: 'politics',
  security_studies: 'politics',
  sociology: 'culture',
  us_foreign_policy: 'politics',
  virology: 'health',
  world_religions: 'philosophy',
};
