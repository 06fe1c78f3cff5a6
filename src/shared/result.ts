/** Replies cross the message boundary as values: an error is data, never a throw into the void. */
export type ErrorCode = 'forbidden' | 'invalid-request' | 'unknown-method' | 'not-found' | 'internal';

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string): Result<never> => ({ ok: false, error: { code, message } });
