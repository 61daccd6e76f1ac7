import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Db } from '../db/types.js';
import { fakeUsers } from '../access/fakes.test-helpers.js';
import { buildHttp } from '../access/http.test-helpers.js';
import { createDocuments, type DocumentCrypto } from './index.js';
import { documentsRoutes } from './routes.js';

/** Field encryption over AES-256-GCM bound to its context (the keys capability's contract). */
export function fakeCrypto(): DocumentCrypto {
  const key = randomBytes(32);
  return {
    async encryptField(context, plaintext) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(context));
      return 'f1:' + Buffer.concat([iv, c.update(plaintext, 'utf8'), c.final(), c.getAuthTag()]).toString('base64');
    },
    async decryptField(context, ciphertext) {
      const b = Buffer.from(ciphertext.slice(3), 'base64');
      const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, 12)).setAAD(Buffer.from(context));
      d.setAuthTag(b.subarray(b.length - 16));
      return Buffer.concat([d.update(b.subarray(12, b.length - 16)), d.final()]).toString('utf8');
    },
  };
}

/** access + documents routes on one Fastify app, test bearer tokens as in buildHttp. */
export async function buildDocsHttp(db: Db, users: ReturnType<typeof fakeUsers>, crypto: DocumentCrypto = fakeCrypto()) {
  let documents: ReturnType<typeof createDocuments> | null = null;
  const built = await buildHttp(db, users, async (app, proc, guard) => {
    documents = createDocuments({ db, clock: proc.clock, access: proc.access, crypto, audit: proc.audit, events: proc.events });
    await app.register(documentsRoutes({ documents, guard }));
  });
  return { ...built, documents: documents!, crypto };
}
