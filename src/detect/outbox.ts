import type { Clock } from '../clock.js';
import type { Db } from '../db/types.js';
import type { ChannelService } from './channels.js';
import { sendEmail, type EmailConfig } from './channels/email.js';
import { sendSlack } from './channels/slack.js';
import { sendSms, type SmsConfig } from './channels/sms.js';
import { sendWebhook } from './channels/webhook.js';
import type { LogPort } from './ports.js';
import * as store from './store.js';
import * as notify from './store-notify.js';
import type { ChannelRow } from './store-notify.js';
import type { Alert } from './types.js';

export const MAX_ATTEMPTS = 8;
const LEASE_MS = 60_000;

/** Backoff after the n-th failed attempt: 5 s, 10 s, 20 s … capped at one hour. */
export function backoffMs(attempt: number): number {
  return Math.min(5_000 * 2 ** (attempt - 1), 3_600_000);
}

export async function sendTo(channel: ChannelRow, secret: string | null, alert: Alert, deliveryId: string, now: Date): Promise<string> {
  switch (channel.kind) {
    case 'email': return sendEmail(channel.config as unknown as EmailConfig, secret, alert);
    case 'slack': return sendSlack(secret ?? '', alert);
    case 'sms': return sendSms(channel.config as unknown as SmsConfig, secret ?? '', alert);
    case 'webhook': return sendWebhook(channel.config as { url: string }, secret ?? '', alert, deliveryId, now);
  }
}

/**
 * The delivery worker: leases due rows (SKIP LOCKED), sends outside any transaction, records the attempt.
 * A crash mid-send leaves the lease to expire and the row is retried: at-least-once, with a stable
 * webhook-id for receivers to de-duplicate.
 */
export function createOutbox(deps: { db: Db; clock: Clock; channels: ChannelService; log?: LogPort; batch?: number }) {
  const { db, clock } = deps;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  async function deliver(d: notify.DeliveryRow): Promise<void> {
    const channel = await notify.getChannel(db, d.channel_id);
    const alert = await store.getAlert(db, d.alert_id);
    let outcome: Parameters<typeof notify.recordAttempt>[3];
    if (!channel || !alert) outcome = { ok: false, detail: 'channel or alert gone', next: null };
    else {
      try {
        const secret = await deps.channels.secretOf(channel);
        outcome = { ok: true, detail: await sendTo(channel, secret, alert, d.id, clock()) };
      } catch (err) {
        const detail = (err as Error).message || String(err);
        const next = d.attempts >= MAX_ATTEMPTS ? null : new Date(clock().getTime() + backoffMs(d.attempts));
        outcome = { ok: false, detail, next };
        deps.log?.warn({ delivery: d.id, channel: d.channel_id, attempt: d.attempts, error: detail.slice(0, 200) }, 'alert delivery failed');
      }
    }
    await notify.recordAttempt(db, d.id, d.attempts, outcome, clock());
  }

  async function pass(): Promise<number> {
    const due = await notify.claimDue(db, clock(), LEASE_MS, deps.batch ?? 20);
    await Promise.all(due.map(deliver));
    return due.length;
  }

  /** One pass over due deliveries; returns how many were attempted. */
  function runOnce(): Promise<number> {
    if (!running) running = pass().finally(() => { running = null; });
    return running;
  }

  return {
    runOnce,
    start(intervalMs = 1000) {
      if (timer) return;
      const loop = async () => {
        let n = 0;
        try { n = await runOnce(); } catch (err) { deps.log?.warn({ err: (err as Error).message }, 'delivery pass failed'); }
        if (timer) timer = setTimeout(loop, n > 0 ? 0 : intervalMs);
      };
      timer = setTimeout(loop, 0);
    },
    async stop() {
      const t = timer; timer = null;
      if (t) clearTimeout(t);
      if (running) await running.catch(() => undefined);
    },
  };
}
