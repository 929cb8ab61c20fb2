import { z } from 'zod';
import { SESSION_COOKIE } from '../auth/session-token.ts';
import type { RouteDoc } from './route-doc.ts';

type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  tags: { name: string }[];
  security: Record<string, string[]>[];
  paths: Record<string, Record<string, JsonSchema>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, JsonSchema>;
  };
}

export const API_VERSION = '1.0.0';

const ERROR_ENVELOPE = 'ErrorEnvelope';
const ERROR_REF = { $ref: `#/components/schemas/${ERROR_ENVELOPE}` };

/** API.md's error shape, shared by every error response. */
const errorEnvelopeSchema: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable machine-readable code, e.g. ERR_PORT_008' },
        message: { type: 'string', description: 'A sentence a person understands' },
        details: { type: 'object', additionalProperties: true },
      },
    },
  },
};

/** Errors most routes can answer with, added unless the route names its own for the status. */
function defaultErrors(doc: RouteDoc): Record<number, string> {
  const errors: Record<number, string> = {};
  if (doc.auth !== 'none') errors[401] = 'ERR_AUTH_REQUIRED: no valid session';
  if (doc.auth === 'admin') errors[403] = 'ERR_FORBIDDEN: the admin role is needed';
  if (/\{[^}]+\}/.test(doc.path)) errors[404] = 'Not found';
  if (doc.query || doc.body || doc.multipart) {
    errors[400] = 'ERR_CONTROL_CHARACTER: a text value holds a control character such as NUL';
  }
  if (doc.body) {
    errors[400] =
      'ERR_INVALID_JSON: the body is not JSON; ERR_CONTROL_CHARACTER: a text value holds a ' +
      'control character such as NUL';
  }
  if (doc.query || doc.body || doc.multipart) errors[422] = 'ERR_VALIDATION: invalid input';
  return errors;
}

/**
 * Converts a zod schema with zod 4's own converter. OpenAPI 3.1 schemas are JSON Schema
 * 2020-12, so the output is used as is, minus `$schema`; any `$defs` (recursive or
 * id-tagged schemas) move to `components.schemas` with their references rewritten, because a
 * `#/$defs/…` pointer would resolve against the whole document.
 */
function jsonSchemaOf(
  schema: z.ZodType,
  io: 'input' | 'output',
  components: Record<string, JsonSchema>,
): JsonSchema {
  const converted = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as JsonSchema;
  delete converted.$schema;
  const defs = converted.$defs as Record<string, JsonSchema> | undefined;
  delete converted.$defs;
  if (!defs) return converted;
  const renamed = new Map<string, string>();
  for (const [name, def] of Object.entries(defs)) {
    let target = name;
    for (
      let n = 2;
      components[target] && JSON.stringify(components[target]) !== JSON.stringify(def);
      n++
    ) {
      target = `${name}_${n}`;
    }
    renamed.set(name, target);
  }
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (!value || typeof value !== 'object') return value;
    const out: JsonSchema = {};
    for (const [k, v] of Object.entries(value as JsonSchema)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')) {
        const name = v.slice('#/$defs/'.length);
        out[k] = `#/components/schemas/${renamed.get(name) ?? name}`;
      } else out[k] = rewrite(v);
    }
    return out;
  };
  for (const [name, def] of Object.entries(defs)) {
    components[renamed.get(name)!] = rewrite(def) as JsonSchema;
  }
  return rewrite(converted) as JsonSchema;
}

function pathParameters(path: string): JsonSchema[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema:
      name === 'id' || name!.endsWith('_id')
        ? { type: 'string', format: 'uuid' }
        : { type: 'string' },
  }));
}

function queryParameters(query: z.ZodObject, components: Record<string, JsonSchema>): JsonSchema[] {
  const schema = jsonSchemaOf(query, 'input', components);
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: 'query',
      required: required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

function requestBodyOf(
  doc: RouteDoc,
  components: Record<string, JsonSchema>,
): JsonSchema | undefined {
  if (doc.body) {
    return {
      required: true,
      content: { 'application/json': { schema: jsonSchemaOf(doc.body, 'input', components) } },
    };
  }
  if (doc.multipart) {
    const fields = Object.entries(doc.multipart);
    return {
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: fields.filter(([, f]) => f.required).map(([name]) => name),
            properties: Object.fromEntries(
              fields.map(([name, f]) => [
                name,
                {
                  type: 'string',
                  ...(f.type === 'file' ? { format: 'binary' } : {}),
                  ...(f.description ? { description: f.description } : {}),
                },
              ]),
            ),
          },
        },
      },
    };
  }
  return undefined;
}

function successResponse(doc: RouteDoc, components: Record<string, JsonSchema>): JsonSchema {
  const { status, description, schema, contentType } = doc.success;
  if (status === 204) return { description };
  if (schema) {
    return {
      description,
      content: {
        [contentType ?? 'application/json']: { schema: jsonSchemaOf(schema, 'output', components) },
      },
    };
  }
  const type = contentType ?? 'application/octet-stream';
  const bodySchema = type.includes('json')
    ? { type: 'object' }
    : type.startsWith('text/')
      ? { type: 'string' }
      : { type: 'string', format: 'binary' };
  return { description, content: { [type]: { schema: bodySchema } } };
}

function operationId(doc: RouteDoc): string {
  const words = doc.path
    .replace(/^\/api\/v1\//, '/')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return [doc.method, ...words].join('_');
}

function operationOf(doc: RouteDoc, components: Record<string, JsonSchema>): JsonSchema {
  const parameters = [
    ...pathParameters(doc.path),
    ...(doc.query ? queryParameters(doc.query, components) : []),
  ];
  const errors = { ...defaultErrors(doc), ...(doc.errors ?? {}) };
  const responses: JsonSchema = { [doc.success.status]: successResponse(doc, components) };
  for (const [status, description] of Object.entries(errors)) {
    responses[status] = { description, content: { 'application/json': { schema: ERROR_REF } } };
  }
  const requestBody = requestBodyOf(doc, components);
  return {
    operationId: operationId(doc),
    tags: [doc.tag],
    summary: doc.summary,
    ...(doc.auth === 'admin' ? { description: 'Requires a user with the admin role.' } : {}),
    // An empty requirement list overrides the document-wide one: no credentials needed.
    ...(doc.auth === 'none' ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of the HTTP API, built from the routes' own RouteDocs (the zod
 * schemas the handlers validate with), so the document cannot drift from the code.
 */
export function buildOpenApiDocument(docs: readonly RouteDoc[]): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = { [ERROR_ENVELOPE]: errorEnvelopeSchema };
  const paths: OpenApiDocument['paths'] = {};
  for (const doc of docs) {
    const item = (paths[doc.path] ??= {});
    if (item[doc.method]) throw new Error(`route documented twice: ${doc.method} ${doc.path}`);
    item[doc.method] = operationOf(doc, schemas);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Betaboard API',
      version: API_VERSION,
      description:
        'Portfolio risk analytics: positions CSV in; P&L, factor betas, stress tests, ' +
        'correlations and volatility out. Field names are snake_case, dates YYYY-MM-DD, ' +
        'timestamps ISO-8601 UTC. Errors are `{"error": {"code", "message", "details"?}}`.',
    },
    tags: [...new Set(docs.map((d) => d.tag))].map((name) => ({ name })),
    security: [{ bearerAuth: [] }, { cookieAuth: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'The access_token from POST /api/v1/auth/login',
        },
        cookieAuth: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: 'The HttpOnly session cookie set by POST /api/v1/auth/login',
        },
      },
    },
  };
}
