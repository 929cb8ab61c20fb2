import { ProviderError } from '../provider.ts';

/** True for the DOMException (or look-alike) a fetch or sleep rejects with when aborted. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/**
 * Whether a failure is worth another try and says something about the provider's health:
 * a ProviderError decides by its own `retryable` (5xx, 429, timeout yes; unknown_symbol no);
 * anything else thrown by a provider is a transport failure (DNS, reset socket…) unless it is
 * an abort, which only reflects the caller giving up.
 */
export function isTransientError(error: unknown): boolean {
  if (error instanceof ProviderError) return error.retryable;
  return !isAbortError(error);
}

/** Every failure leaves the resilience layer as a ProviderError, naming the provider. */
export function toProviderError(error: unknown, provider: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError('http_error', `${provider} request failed: ${message}`, provider, {
    retryable: isTransientError(error),
    cause: error,
  });
}
