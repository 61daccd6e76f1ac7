import nodemailer from 'nodemailer';
import type { Alert } from '../types.js';
import { alertSubject, alertText } from './format.js';

export interface EmailConfig {
  host: string;
  port: number;
  /** Implicit TLS (465); otherwise STARTTLS when offered, required when `require_tls`. */
  secure?: boolean;
  require_tls?: boolean;
  username?: string;
  from: string;
  to: string[];
}

/** Sends over SMTP with nodemailer; the password (if any) is the channel secret. */
export async function sendEmail(cfg: EmailConfig, password: string | null, alert: Alert): Promise<string> {
  const transport = nodemailer.createTransport({
    host: cfg.host,
    port: cfg.port,
    secure: cfg.secure ?? false,
    requireTLS: cfg.require_tls ?? false,
    ...(cfg.username ? { auth: { user: cfg.username, pass: password ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 15_000,
  });
  try {
    const info = await transport.sendMail({ from: cfg.from, to: cfg.to, subject: alertSubject(alert), text: alertText(alert) });
    return `SMTP accepted ${info.accepted.length} recipient(s)`;
  } finally {
    transport.close();
  }
}
