import Fastify, { type FastifyInstance } from 'fastify';
import type { Db } from '../db/types.js';
import { createGuard, type Guard, type Principal } from '../http/guard.js';
import { installProblemHandlers } from '../http/problem.js';
import { fakeUsers, openAccess } from './fakes.test-helpers.js';
import { accessRoutes } from './routes.js';

export type Proc = Awaited<ReturnType<typeof openAccess>>;

/**
 * A Fastify app as src/http/server.ts configures it, with access's routes and a guard whose
 * authenticate maps test bearer tokens to principals: `<user id>` (password session),
 * `<user id>+otp` (MFA session), `key:<id>:<role>,<role>` (API key). Token roles are the
 * directory's roles at sign-in; later directory changes are what the check must follow.
 */
export async function buildHttp(db: Db, users: ReturnType<typeof fakeUsers>,
  register?: (app: FastifyInstance, proc: Proc, guard: Guard) => Promise<void>) {
  const proc = await openAccess(db, { users });
  const app = Fastify({ ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } } });
  installProblemHandlers(app);
  const signedIn = new Map<string, string[]>();
  const guard = createGuard({
    bootstrapToken: null,
    authenticate: async (cred): Promise<Principal | null> => {
      if (cred.startsWith('key:')) {
        const [, id, roles] = cred.split(':');
        return { type: 'api_key', id, roles: roles ? roles.split(',') : [] };
      }
      const [id, mfa] = cred.split('+');
      const u = users.users.get(id);
      if (!u) return null;
      if (!signedIn.has(cred)) signedIn.set(cred, [...u.roles]);
      return { type: 'user', id, roles: signedIn.get(cred)!, amr: mfa === 'otp' ? ['pwd', 'otp'] : ['pwd'], auth_time: 0 };
    },
    authorize: (p, permission, req) => proc.access.authorize(p, permission, req),
  });
  await app.register(accessRoutes({ access: proc.access, guard }));
  if (register) await register(app, proc, guard);
  await app.ready();
  return { app, proc, guard };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
