import type { Database } from '../db/database.ts';
import type { UserRow } from '../db/repositories/user-repository.ts';

/** The signed-in user as routes see it (never the password hash). */
export interface AuthUser {
  id: string;
  email: string;
  fullName: string | null;
  role: UserRow['role'];
}

/** Hono variables set by the middleware: the open database and, on protected routes, the user. */
export interface AppEnv {
  Variables: {
    database: Database;
    user: AuthUser;
    /** The database's read version as this request first read it (see `requestReadVersion`). */
    readVersion: string | undefined;
  };
}
