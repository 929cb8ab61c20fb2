import type { z } from 'zod';

/**
 * One endpoint as the OpenAPI document describes it. Each routes module exports the docs of
 * the routes it registers, next to the zod schemas the handlers validate with, so the document
 * is built from the same schemas and a test checks that every registered route is documented.
 */
export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI style, full path: `/api/v1/portfolios/{id}`. */
  path: string;
  tag: string;
  summary: string;
  /** `none` for public routes; `admin` needs role admin. */
  auth: 'none' | 'user' | 'admin';
  query?: z.ZodObject;
  /** A JSON request body. */
  body?: z.ZodType;
  /** A multipart/form-data body: its fields (files as strings in binary format). */
  multipart?: Record<string, { type: 'string' | 'file'; required: boolean; description?: string }>;
  /** The success response: status and schema (omit the schema for a non-JSON body). */
  success: { status: number; description: string; schema?: z.ZodType; contentType?: string };
  /** Error statuses this route answers with besides 401/404/422 defaults. */
  errors?: Record<number, string>;
}
