import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/types.js';
import { openTestDb } from '../../test/helpers/db.js';
import { fakeUsers, user } from '../access/fakes.test-helpers.js';
import { bearer } from '../access/http.test-helpers.js';
import { buildDocsHttp } from './fakes.test-helpers.js';

const DOMAINS = ['compliance', 'marketing', 'feedback'];
const LEVELS = ['public', 'internal', 'confidential', 'restricted'] as const;
/** Which domains each role reads (the guide), written out here, not taken from the code under test. */
const READS: Record<string, string[]> = {
  legal_team: ['compliance', 'feedback'], marketing_team: ['marketing', 'feedback'],
  product_team: ['feedback', 'marketing'], readonly_user: ['compliance', 'marketing', 'feedback'], nobody: [],
};

let db: Db;
let app: FastifyInstance;
const users = fakeUsers([user('root', ['admin']), ...Object.keys(READS).map((r) => user(`u_${r}`, r === 'nobody' ? [] : [r]))]);
const docs: Array<{ id: string; domain: string; classification: string; tags: string[] }> = [];

beforeAll(async () => {
  db = await openTestDb();
  const built = await buildDocsHttp(db, users);
  app = built.app;
  const root = { type: 'user' as const, id: 'root', roles: ['admin'], amr: ['pwd', 'otp'] };
  for (let i = 0; i < 72; i++) {
    const domain = DOMAINS[i % 3];
    const classification = LEVELS[Math.floor(i / 3) % 4];
    const tags = i % 5 === 0 ? ['board'] : [];
    const d = await built.documents.create(root, { domain, classification, title: `doc ${i}`, body: `body ${i}`, tags });
    docs.push({ id: d.id, domain, classification, tags });
  }
});
afterAll(async () => { await app?.close(); await db?.close(); });

async function walk(token: string, query = '', limit = 7, start: string | null = null): Promise<Array<{ id: string; domain: string; classification: string }>> {
  const seen: Array<{ id: string; domain: string; classification: string }> = [];
  let cursor: string | null = start;
  for (let page = 0; page < 100; page++) {
    const url = `/v1/documents?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const r = await app.inject({ method: 'GET', url, headers: bearer(token) });
    expect(r.statusCode).toBe(200);
    const body = r.json() as { documents: typeof seen; next_cursor: string | null };
    expect(body.documents.length).toBeLessThanOrEqual(limit);
    if (body.next_cursor) expect(body.documents.length).toBe(limit); // full pages: filtering happens in the query
    seen.push(...body.documents);
    cursor = body.next_cursor;
    if (!cursor) return seen;
  }
  throw new Error('pagination did not end');
}

const expected = (role: string, mfa: boolean) => docs.filter((d) => d.classification === 'public'
  || (READS[role].includes(d.domain) && (d.classification !== 'restricted' || mfa))).map((d) => d.id).sort();

describe('listing never shows a document the caller may not read', () => {
  for (const role of Object.keys(READS)) {
    for (const mfa of [false, true]) {
      it(`${role}${mfa ? ' with MFA' : ''}: exactly the readable documents, each once, newest first`, async () => {
        const seen = await walk(`u_${role}${mfa ? '+otp' : ''}`);
        expect(seen.map((d) => d.id).sort()).toEqual(expected(role, mfa));
        expect(new Set(seen.map((d) => d.id)).size).toBe(seen.length);
        const order = seen.map((d) => docs.findIndex((x) => x.id === d.id));
        expect(order).toEqual([...order].sort((a, b) => b - a));
      });
    }
  }

  it('filters narrow within what is readable; an API key without roles sees only public', async () => {
    const board = await walk('u_legal_team', '&tag=board&domain=compliance', 2);
    expect(board.map((d) => d.id).sort()).toEqual(docs.filter((d) => d.tags.includes('board') && d.domain === 'compliance' && d.classification !== 'restricted').map((d) => d.id).sort());
    const conf = await walk('u_marketing_team', '&classification=confidential&domain=compliance');
    expect(conf).toEqual([]);
    const key = await walk('key:k1:');
    expect(new Set(key.map((d) => d.classification))).toEqual(new Set(['public']));
  });

  it('a cursor that was not issued is refused, and one issued to another caller reveals nothing more', async () => {
    const bad = await app.inject({ method: 'GET', url: '/v1/documents?cursor=AAAA', headers: bearer('u_legal_team') });
    expect(bad.json()).toMatchObject({ status: 400, code: 'DOCUMENT_BAD_CURSOR' });
    const first = (await app.inject({ method: 'GET', url: '/v1/documents?limit=5', headers: bearer('root+otp') })).json();
    const rest = await walk('u_marketing_team', '', 7, first.next_cursor);
    for (const d of rest) expect(d.classification === 'public' || READS.marketing_team.includes(d.domain)).toBe(true);
  });
});
