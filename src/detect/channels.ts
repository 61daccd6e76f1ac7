import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Db } from '../db/types.js';
import { detectError } from './errors.js';
import type { Actor, AuditPort, SecretsPort } from './ports.js';
import * as store from './store-notify.js';
import type { ChannelKind, ChannelRow } from './store-notify.js';
import type { SeverityName } from './types.js';
import { newWebhookSecret } from './channels/webhook.js';

/** A channel as the API shows it: never its secret. */
export type Channel = Omit<ChannelRow, 'secret'> & { has_secret: boolean; severities: SeverityName[] };
export interface ChannelInput {
  name: string; kind: ChannelKind; min_severity?: SeverityName; enabled?: boolean;
  config?: Record<string, unknown>; secret?: string;
}

const SEVERITIES: SeverityName[] = ['info', 'low', 'medium', 'high', 'critical'];
const httpUrl = (v: unknown) => typeof v === 'string' && /^https?:\/\/[^\s]+$/.test(v);
const list = (v: unknown) => Array.isArray(v) && v.length > 0 && v.length <= 50 && v.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 254);
const bad = (msg: string) => detectError('DETECT_CHANNEL_INVALID', msg);

/** Validates per kind and keeps only known config fields. */
function checkConfig(kind: ChannelKind, c: Record<string, unknown>, secret: string | undefined): Record<string, unknown> {
  if (kind === 'email') {
    if (typeof c.host !== 'string' || !c.host) throw bad('email: config.host is required');
    if (!Number.isInteger(c.port) || (c.port as number) < 1 || (c.port as number) > 65535) throw bad('email: config.port must be 1..65535');
    if (typeof c.from !== 'string' || !c.from.includes('@')) throw bad('email: config.from must be an address');
    if (!list(c.to)) throw bad('email: config.to must list recipients');
    return { host: c.host, port: c.port, secure: c.secure === true, require_tls: c.require_tls === true,
      ...(typeof c.username === 'string' && c.username ? { username: c.username } : {}), from: c.from, to: c.to };
  }
  if (kind === 'slack') {
    if (secret !== undefined && !httpUrl(secret)) throw bad('slack: secret must be the incoming webhook URL');
    return {};
  }
  if (kind === 'sms') {
    if (!httpUrl(c.url)) throw bad('sms: config.url (gateway base URL) is required');
    if (typeof c.account_sid !== 'string' || !c.account_sid) throw bad('sms: config.account_sid is required');
    if (typeof c.from !== 'string' || !c.from) throw bad('sms: config.from is required');
    if (!list(c.to)) throw bad('sms: config.to must list phone numbers');
    return { url: c.url, account_sid: c.account_sid, from: c.from, to: c.to };
  }
  if (!httpUrl(c.url)) throw bad('webhook: config.url is required');
  return { url: c.url };
}

export function present(row: ChannelRow): Channel {
  const { secret, ...rest } = row;
  return { ...rest, has_secret: secret !== null, severities: store.severitiesFor(row.kind, row.min_severity) };
}

export function createChannelService(deps: { db: Db; audit: AuditPort; clock: Clock; secrets?: SecretsPort }) {
  const { db, audit, clock } = deps;
  const context = (id: string) => `detect.channel:${id}`;

  async function seal(id: string, secret: string | undefined): Promise<string | null> {
    if (secret === undefined) return null;
    if (!deps.secrets) throw detectError('DETECT_SECRETS_UNAVAILABLE', 'channel secrets need the keys capability (field encryption)');
    return deps.secrets.encrypt(context(id), secret);
  }

  /** Creates a channel. A webhook without a secret gets a generated one, returned here once only. */
  async function create(input: ChannelInput, actor: Actor): Promise<Channel & { secret?: string }> {
    if (!['email', 'slack', 'sms', 'webhook'].includes(input.kind)) throw bad('kind must be email, slack, sms or webhook');
    const min = input.min_severity ?? (input.kind === 'sms' ? 'high' : 'medium');
    if (!SEVERITIES.includes(min)) throw bad(`min_severity must be one of ${SEVERITIES.join(', ')}`);
    let secret = input.secret;
    if (input.kind === 'webhook' && secret === undefined) secret = newWebhookSecret();
    if ((input.kind === 'slack' || input.kind === 'sms') && !secret) throw bad(`${input.kind}: secret is required`);
    const config = checkConfig(input.kind, input.config ?? {}, secret);
    const id = randomUUID();
    const row = { id, name: input.name, kind: input.kind, min_severity: min, enabled: input.enabled ?? true, config, secret: await seal(id, secret) };
    await db.tx(async (tx) => {
      if ((await store.listChannels(tx)).some((c) => c.name === input.name)) throw bad(`a channel named ${input.name} exists`);
      await store.insertChannel(tx, row, clock());
      await audit.append(tx, { actor, action: 'detect.channel.create', target: { type: 'detect_channel', id }, outcome: 'success',
        details: { kind: input.kind, name: input.name, min_severity: min } });
    });
    const created = present({ ...row, created_at: clock().toISOString(), updated_at: clock().toISOString() });
    return input.kind === 'webhook' && input.secret === undefined ? { ...created, secret } : created;
  }

  async function update(id: string, patch: Partial<Omit<ChannelInput, 'kind'>>, actor: Actor): Promise<Channel> {
    return db.tx(async (tx) => {
      const cur = await store.getChannel(tx, id, true);
      if (!cur) throw detectError('DETECT_CHANNEL_NOT_FOUND', `no channel ${id}`);
      const min = patch.min_severity ?? cur.min_severity;
      if (!SEVERITIES.includes(min)) throw bad(`min_severity must be one of ${SEVERITIES.join(', ')}`);
      const config = patch.config ? checkConfig(cur.kind, patch.config, patch.secret) : cur.config;
      if (!patch.config && patch.secret !== undefined) checkConfig(cur.kind, cur.config, patch.secret);
      const next = { id, name: patch.name ?? cur.name, min_severity: min, enabled: patch.enabled ?? cur.enabled, config,
        secret: patch.secret !== undefined ? await seal(id, patch.secret) : cur.secret };
      await store.updateChannel(tx, next, clock());
      await audit.append(tx, { actor, action: 'detect.channel.update', target: { type: 'detect_channel', id }, outcome: 'success',
        details: { fields: Object.keys(patch).filter((k) => k !== 'secret'), secret_changed: patch.secret !== undefined } });
      return present({ ...cur, ...next, updated_at: clock().toISOString() });
    });
  }

  async function remove(id: string, actor: Actor): Promise<void> {
    await db.tx(async (tx) => {
      if (!(await store.deleteChannel(tx, id))) throw detectError('DETECT_CHANNEL_NOT_FOUND', `no channel ${id}`);
      await audit.append(tx, { actor, action: 'detect.channel.delete', target: { type: 'detect_channel', id }, outcome: 'success', details: {} });
    });
  }

  async function get(id: string): Promise<Channel> {
    const c = await store.getChannel(db, id);
    if (!c) throw detectError('DETECT_CHANNEL_NOT_FOUND', `no channel ${id}`);
    return present(c);
  }

  async function list(): Promise<Channel[]> {
    return (await store.listChannels(db)).map(present);
  }

  /** The decrypted secret, for the outbox only. */
  async function secretOf(row: ChannelRow): Promise<string | null> {
    if (row.secret === null) return null;
    if (!deps.secrets) throw detectError('DETECT_SECRETS_UNAVAILABLE', 'channel secrets need the keys capability (field encryption)');
    return deps.secrets.decrypt(context(row.id), row.secret);
  }

  return { create, update, remove, get, list, secretOf };
}

export type ChannelService = ReturnType<typeof createChannelService>;
