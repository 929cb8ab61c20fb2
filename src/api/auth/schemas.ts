import { z } from 'zod';

/** The responses of the auth endpoints, built by auth-service.ts (`userBody`) and the routes. */

export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  full_name: z.string().nullable(),
  role: z.enum(['user', 'admin']),
});

export const loginResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('bearer'),
  expires_in: z.number(),
  user: userSchema,
});
