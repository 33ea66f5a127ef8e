/** A prompt file or dataset flag that cannot be used: one line for the user (exit 2). */
export class DatasetError extends Error {
  override name = 'DatasetError';
}
