import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import { ApiError } from '../api-error.ts';
import { buildOpenApiDocument, type OpenApiDocument } from '../openapi/openapi-document.ts';
import { defineRoute, type Route } from '../openapi/define-route.ts';
import type { RouteDoc } from '../openapi/route-doc.ts';

/** The Swagger UI files the page needs, served from node_modules so the page works offline. */
const SWAGGER_ASSETS = new Map<string, string>([
  ['swagger-ui.css', 'text/css; charset=utf-8'],
  ['index.css', 'text/css; charset=utf-8'],
  ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
  ['swagger-ui-standalone-preset.js', 'text/javascript; charset=utf-8'],
  ['favicon-32x32.png', 'image/png'],
  ['favicon-16x16.png', 'image/png'],
]);

const ASSET_BASE = '/api/docs/assets';

// Our own start-up script, served as a file rather than inline so a strict CSP can be used.
const INIT_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/api/v1/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
  });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Betaboard API</title>
  <link rel="stylesheet" href="${ASSET_BASE}/swagger-ui.css">
  <link rel="stylesheet" href="${ASSET_BASE}/index.css">
  <link rel="icon" type="image/png" href="${ASSET_BASE}/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${ASSET_BASE}/swagger-ui-bundle.js"></script>
  <script src="${ASSET_BASE}/swagger-ui-standalone-preset.js"></script>
  <script src="${ASSET_BASE}/betaboard-init.js"></script>
</body>
</html>
`;

const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const assetCache = new Map<string, Uint8Array<ArrayBuffer>>();

async function swaggerAsset(name: string): Promise<Uint8Array<ArrayBuffer>> {
  let body = assetCache.get(name);
  if (!body) {
    body = new Uint8Array(await readFile(join(swaggerDir, name)));
    assetCache.set(name, body);
  }
  return body;
}

/**
 * `GET /api/v1/openapi.json` and `GET /api/docs`. The document describes `allRoutes()` (read
 * on the first request, then kept), so this module needs no import of the route table.
 */
export function docsRoutes(allRoutes: () => readonly RouteDoc[]): Route[] {
  let document: OpenApiDocument | null = null;
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/openapi.json',
      tag: 'docs',
      summary: 'This OpenAPI 3.1 document',
      auth: 'none',
      success: {
        status: 200,
        description: 'The OpenAPI document',
        contentType: 'application/json',
      },
      handler: (c) => c.json((document ??= buildOpenApiDocument(allRoutes()))),
    }),
    defineRoute({
      method: 'get',
      path: '/api/docs',
      tag: 'docs',
      summary: 'A browsable page of the API (Swagger UI, served locally)',
      auth: 'none',
      success: { status: 200, description: 'HTML page', contentType: 'text/html' },
      handler: (c) => c.html(PAGE),
    }),
  ];
}

/** The page's assets, on the root app (static files, no session, no database needed). */
export function docsAssetRoutes(): Hono {
  const app = new Hono();
  app.get(`${ASSET_BASE}/:file`, async (c) => {
    const file = c.req.param('file');
    if (file === 'betaboard-init.js') {
      return c.body(INIT_SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8' });
    }
    const contentType = SWAGGER_ASSETS.get(file);
    // Only the listed files: the name never reaches the file system otherwise.
    if (!contentType) throw new ApiError(404, 'ERR_NOT_FOUND', `No documentation asset ${file}`);
    return c.body(await swaggerAsset(file), 200, {
      'content-type': contentType,
      'cache-control': 'public, max-age=86400',
    });
  });
  return app;
}
