import type { Queryable } from '../db/types.js';
import type { DetectEvent, SecurityEvent } from './types.js';

/** What detect needs from its neighbours: small structural interfaces, so tests pass fakes. */

export interface Actor { type: 'user' | 'api_key' | 'system' | 'bootstrap' | 'anonymous'; id?: string | null; ip?: string | null }

export interface AuditPort {
  append(tx: Queryable, e: {
    actor: Actor; action: string; target?: { type: string; id?: string | null } | null;
    outcome: 'success' | 'failure' | 'denied'; details?: Record<string, unknown>;
  }): Promise<unknown>;
}

export interface EventsPort {
  emitMany(tx: Queryable, events: SecurityEvent[]): Promise<void>;
  subscribe(consumer: string, handler: (tx: Queryable, events: DetectEvent[]) => Promise<void>, opts?: { batchSize?: number }): void;
}

/** Field encryption bound to a context (the keys capability). */
export interface SecretsPort {
  encrypt(context: string, plaintext: string): Promise<string>;
  decrypt(context: string, ciphertext: string): Promise<string>;
}

export interface LogPort {
  info?(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error?(obj: object, msg: string): void;
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: 'detect' };
