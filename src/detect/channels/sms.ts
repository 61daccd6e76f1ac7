import type { Alert } from '../types.js';
import { alertSubject, post } from './format.js';

export interface SmsConfig {
  /** Gateway base URL, e.g. https://api.twilio.com (or a compatible gateway). */
  url: string;
  account_sid: string;
  from: string;
  to: string[];
}

/** Twilio-style API: POST {url}/2010-04-01/Accounts/{sid}/Messages.json, form-encoded To/From/Body, basic auth sid:token. */
export async function sendSms(cfg: SmsConfig, token: string, alert: Alert): Promise<string> {
  const endpoint = `${cfg.url.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(cfg.account_sid)}/Messages.json`;
  const auth = 'Basic ' + Buffer.from(`${cfg.account_sid}:${token}`).toString('base64');
  const text = `${alertSubject(alert)} ${alert.count} events, last ${alert.last_seen}`.slice(0, 300);
  const out: string[] = [];
  for (const to of cfg.to) {
    const body = new URLSearchParams({ To: to, From: cfg.from, Body: text }).toString();
    out.push(await post(endpoint, body, { 'content-type': 'application/x-www-form-urlencoded', authorization: auth }));
  }
  return `${out.length} message(s): ${out.join(', ')}`;
}
