import { join } from 'node:path';
import type { StepSummary } from '../metrics/summary.js';
import { renderCsv } from '../report/csv.js';
import { BadInputError } from '../report/input-error.js';
import { readRunFolder, saveRebuilt } from '../report/run-folder.js';
import { renderSummaryTables } from '../report/summary-table.js';
import { REPORT_FILE, renderRunReport, writeOutputFile } from '../report/write-report.js';
import type { ReportOptions } from './report-flags.js';
import { EXIT_BAD_INPUT, say } from './output.js';

/** Same code as every command's bad input (main.ts EXIT_BAD_INPUT), without loading main. */

/** `evalperf report <run-dir>`: report.html (and CSV) again from the saved files. */
export async function reportCommand(o: ReportOptions): Promise<number> {
  try {
    const data = await readRunFolder(o.runDir, (m) => say(`warning: ${m}`));
    if (data.rebuilt) {
      saveRebuilt(data);
      say(`summary.json and histograms.json rebuilt from requests.jsonl into ${o.runDir} (ITL and client health are not recoverable)`);
    }
    const html = o.html ?? join(o.runDir, REPORT_FILE);
    writeOutputFile(html, renderRunReport(data));
    if (o.csv !== undefined) writeOutputFile(o.csv, renderCsv(data.summary.steps));
    if (o.json) {
      process.stdout.write(JSON.stringify(data.summary, null, 2) + '\n');
    } else {
      // The table shows unknown client health as zeros: say it instead for a rebuilt summary.
      let table = renderSummaryTables(data.summary.steps as StepSummary[]);
      if (data.rebuilt) table = table.replace(/^ {2}client .*$/gm, '  client        health unknown (rebuilt from requests.jsonl)');
      process.stdout.write(`${table}\n\nreport: ${html}${o.csv !== undefined ? `\ncsv: ${o.csv}` : ''}\n`);
    }
    return 0;
  } catch (e) {
    if (!(e instanceof BadInputError)) throw e;
    say(`evalperf: ${e.message}`);
    return EXIT_BAD_INPUT;
  }
}
