import type { Candidate, Detector } from '../types.js';

/**
 * SECRET: credentials with a recognisable shape. Each rule names its subtype; all
 * but the generic assignment rule start with a literal prefix, so they scan fast.
 */
interface SecretRule {
  subtype: string;
  re: RegExp;
  score: number;
  /** Which capture group is the secret (default: the whole match). */
  group?: number;
  check?: (s: string) => boolean;
  /** Literals one of which must occur (in the lower-cased text) before the regex runs at all. */
  hints: readonly string[];
}

const RULES: readonly SecretRule[] = [
  { subtype: 'private_key', hints: ['private key'], re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g, score: 1 },
  { subtype: 'aws_access_key', hints: ['akia', 'asia', 'abia', 'acca'], re: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/g, score: 0.95 },
  { subtype: 'aws_secret_key', hints: ['aws'], re: /\baws.{0,20}?(?:secret|key).{0,20}?[=:"'\s]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi, score: 0.9, group: 1 },
  { subtype: 'github_token', hints: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], re: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}\b/g, score: 1 },
  { subtype: 'github_pat', hints: ['github_pat_'], re: /\bgithub_pat_[A-Za-z0-9_]{60,255}\b/g, score: 1 },
  { subtype: 'gitlab_token', hints: ['glpat-'], re: /\bglpat-[A-Za-z0-9_-]{20,}\b/g, score: 1 },
  { subtype: 'slack_token', hints: ['xox'], re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, score: 1 },
  { subtype: 'slack_webhook', hints: ['hooks.slack.com'], re: /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9]+\/B[A-Za-z0-9]+\/[A-Za-z0-9]+/g, score: 1 },
  { subtype: 'stripe_key', hints: ['_live_', '_test_'], re: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}\b/g, score: 1 },
  { subtype: 'stripe_webhook_secret', hints: ['whsec_'], re: /\bwhsec_[A-Za-z0-9]{24,}\b/g, score: 1 },
  { subtype: 'google_api_key', hints: ['aiza'], re: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g, score: 1 },
  { subtype: 'openai_key', hints: ['sk-'], re: /\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}\b|\bsk-(?:proj|svcacct)-[A-Za-z0-9_-]{40,}/g, score: 1 },
  { subtype: 'anthropic_key', hints: ['sk-ant-'], re: /\bsk-ant-[A-Za-z0-9_-]{20,}/g, score: 1 },
  { subtype: 'npm_token', hints: ['npm_'], re: /\bnpm_[A-Za-z0-9]{36}\b/g, score: 1 },
  { subtype: 'sendgrid_key', hints: ['sg.'], re: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/g, score: 1 },
  { subtype: 'twilio_key', hints: ['sk'], re: /\bSK[0-9a-f]{32}\b/g, score: 0.8 },
  { subtype: 'jwt', hints: ['eyj'], re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g, score: 0.95, check: jwtHeader },
  { subtype: 'warden_key', hints: ['wdn_'], re: /\bwdn_[A-Za-z0-9_-]{16,}/g, score: 1 },
  {
    subtype: 'password_assignment',
    hints: ['pass', 'pwd', 'secret', 'key', 'token'],
    re: /\b(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret)\s*[:=]\s*["']?([^\s"',;]{8,})/gi,
    score: 0.75,
    group: 1,
    check: (s) => !/^[<{$%]/.test(s) && !/^\*+$/.test(s),
  },
];

function jwtHeader(s: string): boolean {
  try {
    const head = JSON.parse(Buffer.from(s.slice(0, s.indexOf('.')), 'base64url').toString('utf8'));
    return typeof head === 'object' && head !== null && typeof head.alg === 'string';
  } catch {
    return false;
  }
}

export const secretsDetector: Detector = {
  types: ['SECRET'],
  detect(text) {
    const out: Candidate[] = [];
    const lower = text.toLowerCase();
    for (const rule of RULES) {
      if (!rule.hints.some((h) => lower.includes(h))) continue;
      for (const m of text.matchAll(rule.re)) {
        const value = rule.group ? m[rule.group] : m[0];
        if (value === undefined) continue;
        if (rule.check && !rule.check(value)) continue;
        const start = m.index + (rule.group ? m[0].lastIndexOf(value) : 0);
        out.push({ type: 'SECRET', start, end: start + value.length, score: rule.score, subtype: rule.subtype, contextDone: true });
      }
    }
    return out;
  },
};
