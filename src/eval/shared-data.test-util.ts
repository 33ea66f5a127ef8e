import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { localSource } from './data/source.js';

/**
 * The real benchmark files live beside the repository (`../shared/datasets`), not in it. A user's
 * machine won't have them: tests that read them skip, and say why in their name.
 */
export const SHARED_DATASETS = fileURLToPath(new URL('../../../shared/datasets', import.meta.url));
export const HAVE_SHARED = existsSync(SHARED_DATASETS);
export const NEEDS_SHARED = HAVE_SHARED ? '' : ' [skipped: ../shared/datasets not found]';
export const shared = localSource(SHARED_DATASETS);
