import { join } from 'node:path';
import { renderCompareHtml, type CompareInput } from '../report/compare-html.js';
import { matchLevels, renderCompareTable } from '../report/compare.js';
import { loadPageAssets } from '../report/html-page.js';
import { BadInputError } from '../report/input-error.js';
import { readRunFolder } from '../report/run-folder.js';
import { writeOutputFile } from '../report/write-report.js';
import type { CompareOptions } from './compare-flags.js';
import { EXIT_BAD_INPUT, say } from './output.js';

function defaultPath(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return join('reports', `compare-${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}.html`);
}

/** `evalperf compare <run-dir> <run-dir>...`: a terminal table and an HTML page. Reads only. */
export async function compareCommand(o: CompareOptions): Promise<number> {
  try {
    if (o.runDirs.length < 2) throw new BadInputError('compare needs two or more run folders: evalperf compare <run-dir> <run-dir> ...');
    const runs: CompareInput[] = [];
    // A folder without summary.json is rebuilt in memory only: compare never writes into a run.
    for (const dir of o.runDirs) runs.push({ name: dir, data: await readRunFolder(dir, (m) => say(`warning: ${dir}: ${m}`)) });
    // Different endpoint kinds (chat against embeddings, say) have nothing in common to set side by side.
    const apis = new Set(runs.map((r) => r.data.summary.target?.api ?? ''));
    if (apis.size > 1) say(`warning: these runs drove different kinds of endpoint (${[...apis].join(', ')}): their token figures do not compare`);
    const html = o.html ?? defaultPath();
    writeOutputFile(html, renderCompareHtml(runs, loadPageAssets()));
    const table = renderCompareTable(o.runDirs, matchLevels(runs.map((r) => r.data.summary.steps)));
    process.stdout.write(`${table}\n\ncompare page: ${html}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof BadInputError)) throw e;
    say(`evalperf: ${e.message}`);
    return EXIT_BAD_INPUT;
  }
}
