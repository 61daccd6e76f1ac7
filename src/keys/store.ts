import type { Queryable } from '../db/types.js';
import type { KeyType } from './material.js';

/** The keys capability's SQL; nothing else in the folder talks to the database. */

export interface KeyRow {
  name: string;
  type: KeyType;
  primary_version: number;
  min_decryption_version: number;
  deletion_protection: boolean;
  created_at: Date;
  rotated_at: Date;
}

export interface VersionRow {
  name: string;
  version: number;
  wrapped: string;
  public_key: string | null;
  created_at: Date;
}

export interface SubjectRow {
  key_id: string;
  subject_id: string;
  wrapped: string | null;
  created_at: Date;
  shredded_at: Date | null;
}

const KEY_COLS = 'name, type, primary_version, min_decryption_version, deletion_protection, created_at, rotated_at';

function keyRow(r: KeyRow): KeyRow {
  return { ...r, created_at: new Date(r.created_at), rotated_at: new Date(r.rotated_at) };
}

export async function readCheck(q: Queryable): Promise<{ wrapper: string; kcv: string } | null> {
  const r = await q.query<{ wrapper: string; kcv: string }>('SELECT wrapper, kcv FROM key_master_check WHERE id = 1');
  return r.rows[0] ?? null;
}

export async function insertCheck(q: Queryable, wrapper: string, kcv: string, at: Date): Promise<void> {
  await q.query('INSERT INTO key_master_check (id, wrapper, kcv, created_at) VALUES (1, $1, $2, $3) ON CONFLICT (id) DO NOTHING',
    [wrapper, kcv, at]);
}

/** Inserts a key row; false when the name is taken. */
export async function insertKey(q: Queryable, k: KeyRow): Promise<boolean> {
  const r = await q.query(`INSERT INTO keyring_keys (${KEY_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (name) DO NOTHING RETURNING name`,
  [k.name, k.type, k.primary_version, k.min_decryption_version, k.deletion_protection, k.created_at, k.rotated_at]);
  return r.rows.length === 1;
}

export async function insertVersion(q: Queryable, v: VersionRow): Promise<void> {
  await q.query('INSERT INTO keyring_versions (name, version, wrapped, public_key, created_at) VALUES ($1, $2, $3, $4, $5)',
    [v.name, v.version, v.wrapped, v.public_key, v.created_at]);
}

export async function getKey(q: Queryable, name: string, forUpdate = false): Promise<KeyRow | null> {
  const r = await q.query<KeyRow>(`SELECT ${KEY_COLS} FROM keyring_keys WHERE name = $1${forUpdate ? ' FOR UPDATE' : ''}`, [name]);
  return r.rows[0] ? keyRow(r.rows[0]) : null;
}

export async function listKeys(q: Queryable): Promise<KeyRow[]> {
  const r = await q.query<KeyRow>(`SELECT ${KEY_COLS} FROM keyring_keys ORDER BY name`);
  return r.rows.map(keyRow);
}

export async function listVersions(q: Queryable, name: string): Promise<VersionRow[]> {
  const r = await q.query<VersionRow>(
    'SELECT name, version, wrapped, public_key, created_at FROM keyring_versions WHERE name = $1 ORDER BY version', [name]);
  return r.rows.map((v) => ({ ...v, created_at: new Date(v.created_at) }));
}

export async function listVersionDates(q: Queryable, name: string): Promise<Array<{ version: number; created_at: Date; public_key: string | null }>> {
  const r = await q.query<{ version: number; created_at: Date; public_key: string | null }>(
    'SELECT version, created_at, public_key FROM keyring_versions WHERE name = $1 ORDER BY version', [name]);
  return r.rows.map((v) => ({ ...v, created_at: new Date(v.created_at) }));
}

export async function setPrimary(q: Queryable, name: string, version: number, at: Date): Promise<void> {
  await q.query('UPDATE keyring_keys SET primary_version = $2, rotated_at = $3 WHERE name = $1', [name, version, at]);
}

export async function updateKey(q: Queryable, name: string, p: { min_decryption_version: number; deletion_protection: boolean }): Promise<void> {
  await q.query('UPDATE keyring_keys SET min_decryption_version = $2, deletion_protection = $3 WHERE name = $1',
    [name, p.min_decryption_version, p.deletion_protection]);
}

export async function deleteKey(q: Queryable, name: string): Promise<void> {
  await q.query('DELETE FROM keyring_versions WHERE name = $1', [name]);
  await q.query('DELETE FROM keyring_keys WHERE name = $1', [name]);
}

export async function getSubject(q: Queryable, by: 'subject_id' | 'key_id', value: string, forUpdate = false): Promise<SubjectRow | null> {
  const r = await q.query<SubjectRow>(`SELECT key_id, subject_id, wrapped, created_at, shredded_at FROM subject_keys
    WHERE ${by === 'subject_id' ? 'subject_id' : 'key_id'} = $1${forUpdate ? ' FOR UPDATE' : ''}`, [value]);
  return r.rows[0] ?? null;
}

/** Inserts a subject key unless the subject already has one. */
export async function insertSubject(q: Queryable, s: { key_id: string; subject_id: string; wrapped: string; created_at: Date }): Promise<void> {
  await q.query(`INSERT INTO subject_keys (key_id, subject_id, wrapped, created_at) VALUES ($1, $2, $3, $4)
    ON CONFLICT (subject_id) DO NOTHING`, [s.key_id, s.subject_id, s.wrapped, s.created_at]);
}

/** Destroys a subject key's material for good. */
export async function shredSubject(q: Queryable, subjectId: string, at: Date): Promise<void> {
  await q.query('UPDATE subject_keys SET wrapped = NULL, shredded_at = $2 WHERE subject_id = $1 AND wrapped IS NOT NULL', [subjectId, at]);
}
