/** Every failure the app explains to a user carries one of these codes. */
export type ErrorCode =
  | 'config_invalid'
  | 'scenario_invalid'
  | 'scenario_not_found'
  | 'transcript_invalid'
  | 'invalid_input'
  | 'text_empty'
  | 'text_too_long'
  | 'session_not_found'
  | 'session_ended'
  | 'llm_unavailable'
  | 'llm_timeout'
  | 'llm_bad_output'
  | 'prompt_invalid'
  | 'store_unavailable'
  | 'store_locked'
  | 'slack_unavailable'
  | 'delivery_rejected'
  | 'forbidden';

/** The one error type of the app. Adapters translate foreign errors into it, keeping the original as `cause`. */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export const isAppError = (err: unknown, code?: ErrorCode): err is AppError =>
  err instanceof AppError && (code === undefined || err.code === code);
