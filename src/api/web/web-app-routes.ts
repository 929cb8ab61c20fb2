import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';

/** Vite puts every built file whose name carries a content hash under assets/. */
const HASHED_ASSETS_PREFIX = '/assets/';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Paths that belong to the server, never to the client-side router. */
function isServerPath(p: string): boolean {
  return (
    p === '/api' ||
    p.startsWith('/api/') ||
    p === '/health' ||
    p.startsWith('/health/') ||
    p === '/metrics'
  );
}

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Betaboard</title></head>
<body><h1>The web app is not built</h1><p>Run <code>npm start</code> (it builds the app when the
build is missing or stale) or <code>npm run build:web</code>, then reload this page.
The API is available under <a href="/api/docs">/api/docs</a>.</p></body></html>`;

/**
 * The built single-page app (web/dist): hashed assets with a year-long immutable cache, other
 * files as they are, and index.html (never cached, so a new build is picked up at once) for
 * every other GET outside /api, /health and /metrics, so client-side routes survive a reload.
 */
export function webAppRoutes(distDir: string): Hono {
  const app = new Hono();
  const root = path.resolve(distDir);

  const readBuilt = async (relative: string) => {
    const file = path.resolve(root, '.' + relative);
    // The decoded path never leaves the build directory.
    if (file !== root && !file.startsWith(root + path.sep)) return null;
    try {
      if (!(await stat(file)).isFile()) return null;
      return { file, body: new Uint8Array(await readFile(file)) };
    } catch {
      return null;
    }
  };

  app.on(['GET', 'HEAD'], '*', async (c, next) => {
    const requestPath = decodeURIComponent(c.req.path);
    if (isServerPath(requestPath)) return next();

    if (requestPath !== '/' && requestPath !== '/index.html') {
      const asset = await readBuilt(requestPath);
      if (asset) {
        const type = CONTENT_TYPES[path.extname(asset.file)] ?? 'application/octet-stream';
        const cache = requestPath.startsWith(HASHED_ASSETS_PREFIX)
          ? 'public, max-age=31536000, immutable'
          : 'public, max-age=3600';
        return c.body(asset.body, 200, { 'content-type': type, 'cache-control': cache });
      }
      // A missing hashed asset (a stale page asking for an old build) or file is a 404, not
      // the app; a client route may still contain a dot (/symbols/BRK.B).
      if (
        requestPath.startsWith(HASHED_ASSETS_PREFIX) ||
        CONTENT_TYPES[path.extname(requestPath).toLowerCase()] !== undefined
      ) {
        return next();
      }
    }

    const index = await readBuilt('/index.html');
    if (!index) return c.html(NOT_BUILT_PAGE, 503, { 'cache-control': 'no-store' });
    return c.body(index.body, 200, {
      'content-type': CONTENT_TYPES['.html']!,
      'cache-control': 'no-cache',
    });
  });

  return app;
}
