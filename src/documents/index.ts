import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Db, Queryable } from '../db/types.js';
import type { AccessAuditPort, AccessEventsPort, AccessPrincipal, Classification, Decision, RequestContext, ResourceRef } from '../access/index.js';
import { CLASSIFICATIONS, DOMAINS, PROTECTION } from '../access/index.js';
import { documentsError } from './errors.js';
import { decodeCursor, type DocumentView, encodeCursor, present } from './present.js';
import * as store from './store.js';

export type { DocumentView } from './present.js';
export { documentsError } from './errors.js';

/** What documents needs from access: the one decision (enforced) and what a listing may show. */
export interface DocumentAccess {
  enforce(p: AccessPrincipal, action: string, resource?: ResourceRef, ctx?: RequestContext): Promise<Decision>;
  readable(p: AccessPrincipal): Promise<Array<{ domain: string; classification: Classification }>>;
}

/** Field encryption (the keys capability): ciphertext bound to its context. */
export interface DocumentCrypto {
  encryptField(context: string, plaintext: string): Promise<string>;
  decryptField(context: string, ciphertext: string): Promise<string>;
}

export interface DocumentsDeps {
  db: Db;
  clock: Clock;
  access: DocumentAccess;
  crypto: DocumentCrypto;
  audit: AccessAuditPort;
  events: AccessEventsPort;
}

export interface DocumentInput { domain: string; title: string; body: string; classification?: Classification; owner?: string; tags?: string[] }
export type DocumentPatch = Partial<DocumentInput>;
export interface DocumentFilter { domain?: string; classification?: string; tag?: string; owner?: string }

export type Documents = ReturnType<typeof createDocuments>;

const resourceOf = (r: { id?: string; domain: string; classification: string }): ResourceRef =>
  ({ type: 'document', id: r.id, domain: r.domain, classification: r.classification as Classification });
const encrypted = (c: string) => PROTECTION[c as Classification]?.encryptedAtRest ?? true;
const contextOf = (id: string) => `documents:body:${id}`;

export function createDocuments(deps: DocumentsDeps) {
  const { db, clock, access, crypto, audit } = deps;
  const actor = (p: AccessPrincipal, ctx?: RequestContext) => ({ type: p.type, id: p.id, ip: ctx?.ip ?? null, user_agent: ctx?.user_agent ?? null });

  function validate(d: { domain: string; classification: string; title: string; tags: string[] }): void {
    if (!(DOMAINS as readonly string[]).includes(d.domain)) throw documentsError('DOCUMENT_INVALID', `domain must be one of ${DOMAINS.join(', ')}`);
    if (!(CLASSIFICATIONS as readonly string[]).includes(d.classification)) throw documentsError('DOCUMENT_INVALID', `classification must be one of ${CLASSIFICATIONS.join(', ')}`);
    if (!d.title.trim()) throw documentsError('DOCUMENT_INVALID', 'title must not be empty');
  }

  /** Clear text or ciphertext, as the classification says. */
  async function seal(id: string, classification: string, body: string) {
    return encrypted(classification)
      ? { body: null, body_ciphertext: await crypto.encryptField(contextOf(id), body) }
      : { body, body_ciphertext: null };
  }

  async function open(r: store.DocumentRow): Promise<string> {
    if (r.body !== null) return r.body;
    try { return await crypto.decryptField(contextOf(r.id), r.body_ciphertext!); } catch (e) {
      throw documentsError('DOCUMENT_UNREADABLE', `The body of document ${r.id} could not be decrypted`, { id: r.id }, e);
    }
  }

  async function load(id: string, q: Queryable = db, lock = false): Promise<store.DocumentRow> {
    const r = /^[0-9a-f-]{36}$/i.test(id) ? await store.get(q, id, lock) : null;
    if (!r) throw documentsError('DOCUMENT_NOT_FOUND', `No document ${id}`, { id });
    return r;
  }

  async function create(p: AccessPrincipal, input: DocumentInput, ctx?: RequestContext): Promise<DocumentView> {
    const d = { domain: input.domain, classification: input.classification ?? 'internal', title: input.title, tags: [...new Set(input.tags ?? [])] };
    validate(d);
    await access.enforce(p, 'write', resourceOf(d), ctx);
    const id = randomUUID();
    const now = clock();
    const sealed = await seal(id, d.classification, input.body); // outside the transaction: the keyring may need the database
    const row = await db.tx(async (tx) => {
      const r = await store.insert(tx, { id, ...d, ...sealed, owner: input.owner ?? p.id,
        created_at: now, updated_at: now, created_by: p.id, updated_by: p.id });
      await audit.append(tx, { actor: actor(p, ctx), action: 'documents.create', target: { type: 'document', id }, outcome: 'success',
        details: { domain: d.domain, classification: d.classification } });
      return r;
    });
    return present(row, input.body);
  }

  /** Reads one document; reads of restricted ones are audited. */
  async function get(p: AccessPrincipal, id: string, ctx?: RequestContext): Promise<DocumentView> {
    const r = await load(id);
    await access.enforce(p, 'read', resourceOf(r), ctx);
    const body = await open(r);
    if (PROTECTION[r.classification as Classification]?.auditReads) {
      await db.tx((tx) => audit.append(tx, { actor: actor(p, ctx), action: 'documents.read', target: { type: 'document', id }, outcome: 'success',
        details: { domain: r.domain, classification: r.classification } }));
    }
    return present(r, body);
  }

  async function update(p: AccessPrincipal, id: string, patch: DocumentPatch, ctx?: RequestContext): Promise<DocumentView> {
    const before = await load(id);
    await access.enforce(p, 'write', resourceOf(before), ctx);
    const next = {
      domain: patch.domain ?? before.domain, classification: patch.classification ?? before.classification,
      title: patch.title ?? before.title, tags: patch.tags ? [...new Set(patch.tags)] : before.tags,
    };
    validate(next);
    if (next.domain !== before.domain || next.classification !== before.classification) await access.enforce(p, 'write', resourceOf({ id, ...next }), ctx);
    // the ciphertext's context is the id alone, so only a move between clear and encrypted re-seals an unchanged body
    const body = patch.body ?? (encrypted(before.classification) !== encrypted(next.classification) ? await open(before) : undefined);
    const resealed = body !== undefined ? await seal(id, next.classification, body) : null;
    const row = await db.tx(async (tx) => {
      const cur = await load(id, tx, true);
      if (!resealed && encrypted(cur.classification) !== encrypted(next.classification)) {
        throw documentsError('DOCUMENT_CONFLICT', 'The document changed while it was being edited; retry', { id });
      }
      const sealed = resealed ?? { body: cur.body, body_ciphertext: cur.body_ciphertext };
      const r = await store.update(tx, { ...cur, ...next, ...sealed, owner: patch.owner ?? cur.owner, updated_at: clock(), updated_by: p.id });
      const changed = (Object.keys(patch) as Array<keyof DocumentPatch>).filter((k) => patch[k] !== undefined);
      await audit.append(tx, { actor: actor(p, ctx), action: 'documents.update', target: { type: 'document', id }, outcome: 'success',
        details: { changed, domain: next.domain, classification: next.classification, ...(next.classification !== cur.classification ? { from: cur.classification } : {}) } });
      return r;
    });
    return present(row, patch.body); // the body goes back only to whoever just sent it
  }

  async function remove(p: AccessPrincipal, id: string, ctx?: RequestContext): Promise<void> {
    const r = await load(id);
    await access.enforce(p, 'delete', resourceOf(r), ctx);
    await db.tx(async (tx) => {
      if (!(await store.remove(tx, id))) throw documentsError('DOCUMENT_NOT_FOUND', `No document ${id}`, { id });
      await audit.append(tx, { actor: actor(p, ctx), action: 'documents.delete', target: { type: 'document', id }, outcome: 'success',
        details: { domain: r.domain, classification: r.classification } });
    });
  }

  async function filterFor(p: AccessPrincipal, f: DocumentFilter): Promise<store.ListFilter> {
    const readable = (await access.readable(p)).map((x) => `${x.domain}:${x.classification}`);
    return { readable, domain: f.domain, classification: f.classification, tag: f.tag, owner: f.owner };
  }

  /** One page, newest first, of what the caller may read (without bodies). */
  async function list(p: AccessPrincipal, f: DocumentFilter, cursor: string | undefined, limit: number) {
    const filter = await filterFor(p, f);
    if (cursor !== undefined) {
      const seq = decodeCursor(cursor);
      if (seq === null) throw documentsError('DOCUMENT_BAD_CURSOR', 'cursor is not one this server gave');
      filter.beforeSeq = seq;
    }
    const rows = await store.list(db, filter, limit + 1);
    const page = rows.slice(0, limit);
    return { documents: page.map((r) => present(r)), next_cursor: rows.length > limit ? encodeCursor(page[page.length - 1].seq) : null };
  }

  /**
   * An export of everything the caller may read in a domain, as JSON lines. Audited before any
   * data leaves (counts per classification); with confidential or restricted data in it, also a
   * `data.export` security event. Rows added after the call are not included.
   */
  async function exportDomain(p: AccessPrincipal, domain: string, ctx?: RequestContext) {
    if (!(DOMAINS as readonly string[]).includes(domain)) throw documentsError('DOCUMENT_INVALID', `domain must be one of ${DOMAINS.join(', ')}`);
    const filter = { ...(await filterFor(p, { domain })) };
    const { counts, maxSeq } = await store.census(db, filter);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const sensitive = (counts.confidential ?? 0) + (counts.restricted ?? 0);
    await db.tx(async (tx) => {
      await audit.append(tx, { actor: actor(p, ctx), action: 'documents.export', target: { type: 'domain', id: domain }, outcome: 'success',
        details: { domain, total, by_classification: counts } });
      if (sensitive > 0) {
        await deps.events.emit(tx, {
          type: 'data.export', class_uid: 6005, activity_id: 2, severity_id: counts.restricted ? 3 : 2, time: clock().toISOString(), status: 'success',
          user: { uid: p.id }, ...(ctx?.ip ? { src_endpoint: { ip: ctx.ip } } : {}), source: 'warden',
          message: `${p.type}:${p.id} exported ${total} ${domain} documents (${sensitive} confidential or restricted)`,
          unmapped: { domain, total, sensitive, by_classification: counts, principal_type: p.type },
        });
      }
    });
    async function* lines(): AsyncGenerator<string> {
      let before: number | undefined;
      for (;;) {
        const rows = await store.list(db, { ...filter, maxSeq, beforeSeq: before }, 200, true);
        for (const r of rows) yield JSON.stringify(present(r, await open(r))) + '\n';
        if (rows.length < 200) return;
        before = rows[rows.length - 1].seq;
      }
    }
    return { total, by_classification: counts, lines: lines() };
  }

  return { create, get, update, remove, list, export: exportDomain };
}
