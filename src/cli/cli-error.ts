/** Exit codes of the `eventuali` command: 0 ok, 1 a failure, 2 a usage error. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/**
 * A failure the command reports as one line on stderr and exits with: `usage` (2) for a command
 * line that cannot run (no URL, a bad option value), `failure` (1) for everything else.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: (typeof EXIT)['failure' | 'usage'] = EXIT.failure,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A command line that cannot run: exit code 2. */
export function usageError(message: string): CliError {
  return new CliError(message, EXIT.usage);
}
