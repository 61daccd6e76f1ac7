import type { Queryable } from '../db/types.js';

/** documents' SQL. Bodies arrive here already encrypted where their classification says so. */

export interface DocumentRow {
  id: string;
  seq: number;
  domain: string;
  classification: string;
  title: string;
  body: string | null;
  body_ciphertext: string | null;
  owner: string;
  tags: string[];
  created_at: Date;
  updated_at: Date;
  created_by: string;
  updated_by: string;
}

export interface ListFilter {
  /** `domain:classification` pairs the caller may read; nothing outside them is ever selected. */
  readable: string[];
  domain?: string;
  classification?: string;
  tag?: string;
  owner?: string;
  /** Rows with seq below this (the cursor), newest first. */
  beforeSeq?: number;
  /** Rows with seq at most this (an export's snapshot). */
  maxSeq?: number;
}

const COLS = 'id, seq, domain, classification, title, body, body_ciphertext, owner, tags, created_at, updated_at, created_by, updated_by';

export async function insert(tx: Queryable, d: Omit<DocumentRow, 'seq'>): Promise<DocumentRow> {
  const r = await tx.query<DocumentRow>(
    `INSERT INTO documents (id, domain, classification, title, body, body_ciphertext, owner, tags, created_at, updated_at, created_by, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${COLS}`,
    [d.id, d.domain, d.classification, d.title, d.body, d.body_ciphertext, d.owner, d.tags, d.created_at, d.updated_at, d.created_by, d.updated_by]);
  return r.rows[0];
}

export async function get(q: Queryable, id: string, lock = false): Promise<DocumentRow | null> {
  const r = await q.query<DocumentRow>(`SELECT ${COLS} FROM documents WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return r.rows[0] ?? null;
}

export async function update(tx: Queryable, d: DocumentRow): Promise<DocumentRow> {
  const r = await tx.query<DocumentRow>(
    `UPDATE documents SET domain = $2, classification = $3, title = $4, body = $5, body_ciphertext = $6, owner = $7, tags = $8,
       updated_at = $9, updated_by = $10 WHERE id = $1 RETURNING ${COLS}`,
    [d.id, d.domain, d.classification, d.title, d.body, d.body_ciphertext, d.owner, d.tags, d.updated_at, d.updated_by]);
  return r.rows[0];
}

export async function remove(tx: Queryable, id: string): Promise<boolean> {
  return (await tx.query('DELETE FROM documents WHERE id = $1', [id])).rowCount > 0;
}

function where(f: ListFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [f.readable];
  const parts = [`(domain || ':' || classification) = ANY($1::text[])`];
  const add = (sql: string, v: unknown) => { params.push(v); parts.push(sql.replace('$?', `$${params.length}`)); };
  if (f.domain) add('domain = $?', f.domain);
  if (f.classification) add('classification = $?', f.classification);
  if (f.tag) add('$? = ANY(tags)', f.tag);
  if (f.owner) add('owner = $?', f.owner);
  if (f.beforeSeq !== undefined) add('seq < $?', f.beforeSeq);
  if (f.maxSeq !== undefined) add('seq <= $?', f.maxSeq);
  return { sql: parts.join(' AND '), params };
}

/** Newest first; `withBody` selects bodies (exports), else they are left in the database. */
export async function list(q: Queryable, f: ListFilter, limit: number, withBody = false): Promise<DocumentRow[]> {
  if (f.readable.length === 0) return [];
  const w = where(f);
  const cols = withBody ? COLS : COLS.replace('body, body_ciphertext', 'NULL AS body, NULL AS body_ciphertext');
  const r = await q.query<DocumentRow>(`SELECT ${cols} FROM documents WHERE ${w.sql} ORDER BY seq DESC LIMIT ${Math.floor(limit)}`, w.params);
  return r.rows;
}

/** How many rows per classification a filter selects, and the newest seq (an export's snapshot). */
export async function census(q: Queryable, f: ListFilter): Promise<{ counts: Record<string, number>; maxSeq: number }> {
  if (f.readable.length === 0) return { counts: {}, maxSeq: 0 };
  const w = where(f);
  const r = await q.query<{ classification: string; n: number; max: number }>(
    `SELECT classification, count(*)::int AS n, max(seq)::bigint AS max FROM documents WHERE ${w.sql} GROUP BY classification`, w.params);
  const counts: Record<string, number> = {};
  let maxSeq = 0;
  for (const row of r.rows) { counts[row.classification] = Number(row.n); maxSeq = Math.max(maxSeq, Number(row.max)); }
  return { counts, maxSeq };
}
