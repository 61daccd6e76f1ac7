import type { DocumentRow } from './store.js';

/** The public shape of a document; the body only when it was read. */
export interface DocumentView {
  id: string;
  domain: string;
  classification: string;
  title: string;
  body?: string;
  owner: string;
  tags: string[];
  encrypted_at_rest: boolean;
  created_at: string;
  updated_at: string;
  created_by: string;
  updated_by: string;
}

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

export function present(r: DocumentRow, body?: string): DocumentView {
  return {
    id: r.id, domain: r.domain, classification: r.classification, title: r.title,
    ...(body !== undefined ? { body } : {}),
    owner: r.owner, tags: r.tags ?? [], encrypted_at_rest: r.classification === 'confidential' || r.classification === 'restricted',
    created_at: iso(r.created_at), updated_at: iso(r.updated_at), created_by: r.created_by, updated_by: r.updated_by,
  };
}

/** Cursors are the last seq of a page, opaque to callers. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`d1:${seq}`).toString('base64url');
}

export function decodeCursor(c: string): number | null {
  const m = /^d1:(\d{1,15})$/.exec(Buffer.from(c, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
}
