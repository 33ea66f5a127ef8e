import { readFileSync } from 'node:fs';

/** The tool's version, from package.json next to dist/ (or src/ under tests). */
export const TOOL_VERSION: string = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();
