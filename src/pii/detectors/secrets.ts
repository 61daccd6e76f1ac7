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
}

const RULES: readonly SecretRule[] = [
  { subtype: 'private_key', re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g, score: 1 },
  { subtype: 'aws_access_key', re: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/g, score: 0.95 },
  { subtype: 'aws_secret_key', re: /\baws.{0,20}?(?:secret|key).{0,20}?[=:"'\s]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi, score: 0.9, group: 1 },
  { subtype: 'github_token', re: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}\b/g, score: 1 },
  { subtype: 'github_pat', re: /\bgithub_pat_[A-Za-z0-9_]{60,255}\b/g, score: 1 },
  { subtype: 'gitlab_token', re: /\bglpat-[A-Za-z0-9_-]{20,}\b/g, score: 1 },
  { subtype: 'slack_token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, score: 1 },
  { subtype: 'slack_webhook', re: /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9]+\/B[A-Za-z0-9]+\/[A-Za-z0-9]+/g, score: 1 },
  { subtype: 'stripe_key', re: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}\b/g, score: 1 },
  { subtype: 'stripe_webhook_secret', re: /\bwhsec_[A-Za-z0-9]{24,}\b/g, score: 1 },
  { subtype: 'google_api_key', re: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g, score: 1 },
  { subtype: 'openai_key', re: /\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}\b|\bsk-(?:proj|svcacct)-[A-Za-z0-9_-]{40,}/g, score: 1 },
  { subtype: 'anthropic_key', re: /\bsk-ant-[A-Za-z0-9_-]{20,}/g, score: 1 },
  { subtype: 'npm_token', re: /\bnpm_[A-Za-z0-9]{36}\b/g, score: 1 },
  { subtype: 'sendgrid_key', re: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/g, score: 1 },
  { subtype: 'twilio_key', re: /\bSK[0-9a-f]{32}\b/g, score: 0.8 },
  { subtype: 'jwt', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g, score: 0.95, check: jwtHeader },
  { subtype: 'warden_key', re: /\bwdn_[A-Za-z0-9_-]{16,}/g, score: 1 },
  {
    subtype: 'password_assignment',
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
    for (const rule of RULES) {
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
