import { ApiError, messageOf } from '../api/errors.ts';

/** Sign-in and sign-up errors in words. */
export function authErrorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'ERR_AUTH_INVALID_CREDENTIALS' || error.status === 401) {
      return 'Wrong e-mail or password.';
    }
    if (error.status === 429) {
      const seconds = error.retryAfterSeconds ?? 900;
      const minutes = Math.max(1, Math.ceil(seconds / 60));
      return `Too many attempts — try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
    }
    if (error.code === 'ERR_AUTH_EMAIL_TAKEN') {
      return 'An account with this e-mail already exists. Sign in instead.';
    }
    if (error.code === 'ERR_VALIDATION') {
      const issues = (error.details?.issues ?? []) as { field: string; message: string }[];
      const first = issues[0];
      if (first?.field === 'password') return `Password ${first.message}.`;
      if (first?.field === 'email') return 'Enter a valid e-mail address.';
    }
  }
  return messageOf(error);
}
