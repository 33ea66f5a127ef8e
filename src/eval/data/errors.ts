/**
 * A benchmark's data could not be read: a missing file, a malformed row, a failed download.
 * The message is one line and names the file (and line) or URL, so the CLI prints it as is.
 */
export class DataError extends Error {
  override name = 'DataError';
}
