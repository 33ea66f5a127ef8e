/**
 * Input a report cannot use: a run folder (or a file in it) missing, not a run, malformed, or
 * an output path that cannot be written. The message is one line naming the file and the fix;
 * the CLI prints it and exits 2.
 */
export class BadInputError extends Error {
  override name = 'BadInputError';
}
