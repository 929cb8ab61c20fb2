import { authRouteDocs } from '../routes/auth.ts';
import type { RouteDoc } from './route-doc.ts';

/** Every documented route, in the order the OpenAPI document lists them (one line per module). */
export const ALL_ROUTE_DOCS: RouteDoc[] = [...authRouteDocs];
