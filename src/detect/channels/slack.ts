import type { Alert } from '../types.js';
import { alertSubject, post } from './format.js';

/** Slack incoming webhook: the URL itself is the secret. */
export async function sendSlack(url: string, alert: Alert): Promise<string> {
  const fields = Object.entries(alert.key).map(([k, v]) => `*${k}*: ${v}`).join('  ');
  const body = {
    text: alertSubject(alert),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${alertSubject(alert)}*` } },
      { type: 'section', text: { type: 'mrkdwn', text: `${fields}\n*events*: ${alert.count}  *first*: ${alert.first_seen}  *last*: ${alert.last_seen}\n*alert*: \`${alert.id}\`` } },
    ],
  };
  return post(url, JSON.stringify(body), { 'content-type': 'application/json' });
}
