import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Alert } from '../types.js';
import { alertPayload, post } from './format.js';

/**
 * Generic webhooks signed per the Standard Webhooks specification:
 * headers webhook-id, webhook-timestamp (seconds) and webhook-signature `v1,<base64 HMAC-SHA256(id.timestamp.body)>`,
 * keyed with the base64 secret after its `whsec_` prefix.
 */
export function newWebhookSecret(): string {
  return 'whsec_' + randomBytes(24).toString('base64');
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

export function signWebhook(secret: string, id: string, timestampSec: number, body: string): string {
  const mac = createHmac('sha256', keyOf(secret)).update(`${id}.${timestampSec}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** Verifies one of the space-separated signatures (used by tests and by receivers written in TypeScript). */
export function verifyWebhook(secret: string, id: string, timestampSec: number, body: string, header: string): boolean {
  const want = Buffer.from(signWebhook(secret, id, timestampSec, body));
  return header.split(' ').some((sig) => {
    const got = Buffer.from(sig);
    return got.length === want.length && timingSafeEqual(got, want);
  });
}

export async function sendWebhook(cfg: { url: string }, secret: string, alert: Alert, deliveryId: string, now: Date): Promise<string> {
  const body = JSON.stringify(alertPayload(alert));
  const ts = Math.floor(now.getTime() / 1000);
  return post(cfg.url, body, {
    'content-type': 'application/json',
    'webhook-id': deliveryId,
    'webhook-timestamp': String(ts),
    'webhook-signature': signWebhook(secret, deliveryId, ts, body),
  });
}
