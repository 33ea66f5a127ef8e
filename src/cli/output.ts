/** Exit codes every command shares, and the one way commands talk to a person (stderr). */
export const EXIT_OK = 0;
/** The run completed but every request failed (or an internal error stopped it). */
export const EXIT_ALL_FAILED = 1;
/** Bad input, or a target that cannot be reached: nothing was sent. */
export const EXIT_BAD_INPUT = 2;

/** A line for the person at the terminal: stderr, so stdout stays the result (tables, --json). */
export const say = (line: string): void => void process.stderr.write(line + '\n');
