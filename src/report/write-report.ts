import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadPageAssets } from './html-page.js';
import { BadInputError } from './input-error.js';
import { readRunFolder } from './run-folder.js';
import { buildReportModel } from './report-model.js';
import { renderReportHtml } from './report-html.js';
import type { RunData } from './saved-run.js';

export const REPORT_FILE = 'report.html';

export function renderRunReport(data: RunData): string {
  return renderReportHtml(buildReportModel(data), loadPageAssets());
}

/**
 * The end of `evalperf run`: report.html from the files the run just wrote. The run's results
 * are already on disk, so a failure here is a warning with the way to retry, not a failed run.
 */
export async function writeRunReport(dir: string, say: (line: string) => void): Promise<void> {
  const path = join(dir, REPORT_FILE);
  try {
    const data = await readRunFolder(dir, (m) => say(`warning: ${m}`));
    writeFileSync(path, renderRunReport(data));
  } catch (e) {
    say(`warning: ${path} not written (${(e as Error).message}); retry with: evalperf report ${dir}`);
  }
}

/** Writes a file the user named (or a default path), creating its folder; a failure is bad input. */
export function writeOutputFile(path: string, text: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } catch (e) {
    throw new BadInputError(`cannot write ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): give a file path in a folder you can write to`);
  }
}
