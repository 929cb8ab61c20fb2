import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/**
 * The web app's policy: everything from this origin only. Styles also allow 'unsafe-inline'
 * because Mantine writes its theme variables into a <style> element at run time; scripts stay
 * 'self' only (the Vite build has no inline script), so an injected <script> cannot run.
 * ECharts draws on a canvas and sets element styles through the CSSOM, which CSP allows.
 */
const APP_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Swagger UI (/api/docs) also sets inline styles and shows data: images in its own markup. */
const DOCS_POLICY = { ...APP_POLICY, imgSrc: ["'self'", 'data:'] };

const common = {
  xFrameOptions: 'DENY',
  referrerPolicy: 'strict-origin-when-cross-origin',
  // The server may be reached over plain HTTP (localhost): HSTS belongs to the TLS front end.
  strictTransportSecurity: false,
} as const;

const appHeaders = secureHeaders({ ...common, contentSecurityPolicy: APP_POLICY });
const docsHeaders = secureHeaders({ ...common, contentSecurityPolicy: DOCS_POLICY });

/**
 * Security headers on every response: CSP, nosniff, no framing (X-Frame-Options DENY and
 * frame-ancestors 'none'), a referrer policy that never sends paths to other origins.
 */
export function securityHeaders(): MiddlewareHandler {
  return (c, next) =>
    c.req.path === '/api/docs' || c.req.path.startsWith('/api/docs/')
      ? docsHeaders(c, next)
      : appHeaders(c, next);
}
