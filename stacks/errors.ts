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
