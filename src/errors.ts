/**
 * Errors a user can fix (bad file, bad flag, impossible hyper-parameter). The CLI prints their message on one
 * line and exits with code 2; anything else is a bug and keeps its stack trace.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** Throws a UserError unless `ok`; `message` names the input, what was expected and the fix. */
export function check(ok: boolean, message: string | (() => string)): asserts ok {
  if (!ok) throw new UserError(typeof message === 'string' ? message : message());
}
