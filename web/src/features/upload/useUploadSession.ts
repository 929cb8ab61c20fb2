import { useSyncExternalStore } from 'react';
import { getUploadSession, subscribeUploadSession } from './upload-session.ts';

/** The browser session's uploaded portfolios, re-rendering on every change. */
export function useUploadSession() {
  return useSyncExternalStore(subscribeUploadSession, getUploadSession);
}
