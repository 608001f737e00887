/**
 * An error the user caused and can fix: printed as its message alone, never with a stack trace.
 * Messages say which file and field are wrong, what was expected, what was found and the fix.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof Error && err.name === 'UserError';
}

/**
 * A command line the CLI cannot use (unknown option, wrong arguments): exits 2, the same code as
 * an unknown command, so scripts can tell "called wrongly" from "the work failed" (1).
 */
export class UsageError extends UserError {
  readonly exitCode = 2;
}

/** The process exit code for a user error: 2 for usage errors, 1 otherwise. */
export function exitCodeOf(err: UserError): number {
  return (err as Partial<UsageError>).exitCode ?? 1;
}
