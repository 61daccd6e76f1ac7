import { indexText } from '../prepass.js';
import type { Candidate, Detector } from '../types.js';
import { PASSWORD, PLACEHOLDER, STRONG, passwordValue } from './passwords.js';
import { candidate, isAsciiLetter } from './util.js';

/**
 * SECRET: credentials with a recognisable shape. Each rule names its subtype and the literals a
 * match opens with; its sticky pattern runs only where one of them stands (word starts from the
 * pre-pass, or indexOf for the two rules that need no word start), never over the whole text.
 */
interface SecretRule {
  subtype: string;
  /** Sticky; tried only where one of `starts` begins. */
  re: RegExp;
  score: number;
  /** Which capture group is the secret (default: the whole match). */
  group?: number;
  /** Verdict on the secret; `m` is the whole match (m.input the text) for rules that judge its surroundings. */
  check?: (s: string, m: RegExpExecArray) => boolean;
  /**
   * Literals a match begins with. Rules whose pattern opens with \b are tried at the ASCII word starts
   * the pre-pass found (compared ignoring case when `ci`); the others at every occurrence (indexOf).
   */
  starts: readonly string[];
  ci?: boolean;
  anywhere?: boolean;
  /**
   * The literal is a link ("https://…"): its letters end right at a '://' whose letter run the pre-pass
   * recorded, so it is looked for there instead of by indexOf over the whole text.
   */
  atLink?: boolean;
}

const RULES: readonly SecretRule[] = [
  { subtype: 'private_key', starts: ['-----BEGIN '], anywhere: true, re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/y, score: 1 },
  { subtype: 'aws_access_key', starts: ['AKIA', 'ASIA', 'ABIA', 'ACCA'], re: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/y, score: 0.95 },
  {
    // "aws_secret_access_key = …", "AWS_SECRET_ACCESS_KEY=…", and the name on its own: "SecretAccessKey": "…"
    // (STS answers), secret_key = "…" (Terraform), "secret access key (prod account): …"
    subtype: 'aws_secret_key',
    starts: ['aws', 'secret'],
    ci: true,
    re: /\b(?:aws.{0,20}?(?:secret|key).{0,20}?|secret[ _-]?(?:access[ _-]?)?key.{0,32}?)[=:"'\s]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/iy,
    score: 0.9,
    group: 1,
  },
  {
    // the secret key written without a name near its access key id: "access key AKIA…, secret wJalr…", or the two
    // on the lines of a note; a run of exactly 40 with a lower-case letter, a capital and a digit (no hex digest)
    subtype: 'aws_secret_key',
    starts: ['AKIA', 'ASIA'],
    re: /\b(?:AKIA|ASIA)[A-Z2-7]{16}\b[\s\S]{1,160}?(?<![A-Za-z0-9/+])(?=[A-Za-z0-9/+]{0,39}[a-z])(?=[A-Za-z0-9/+]{0,39}[A-Z])(?=[A-Za-z0-9/+]{0,39}[0-9])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/y,
    score: 0.85,
    group: 1,
  },
  { subtype: 'github_token', starts: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], re: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}\b/y, score: 1 },
  { subtype: 'github_pat', starts: ['github_pat_'], re: /\bgithub_pat_[A-Za-z0-9_]{60,255}\b/y, score: 1 },
  { subtype: 'gitlab_token', starts: ['glpat-'], re: /\bglpat-[A-Za-z0-9_-]{20,}\b/y, score: 1 },
  { subtype: 'slack_token', starts: ['xoxa-', 'xoxb-', 'xoxp-', 'xoxo-', 'xoxs-', 'xoxr-'], re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/y, score: 1 },
  { subtype: 'slack_webhook', starts: ['https://hooks.slack.com/services/T'], anywhere: true, atLink: true, re: /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9]+\/B[A-Za-z0-9]+\/[A-Za-z0-9]+/y, score: 1 },
  {
    // "postgres://app:S3cret@db:5432", "redis://:S3cret@cache": the password of a connection string or link
    // (tried right at the '://' after a scheme's letters, which the pre-pass records as a link)
    subtype: 'url_password',
    starts: ['://'],
    anywhere: true,
    atLink: true,
    re: /(?<=[A-Za-z]):\/\/[^\s:@\/?#"'<>]{0,64}:([^\s@\/?#"'<>]{3,128})@(?=[A-Za-z0-9[])/y,
    score: 0.9,
    group: 1,
    check: (s) => !/^[<{$%*]/.test(s) && !PLACEHOLDER.test(s),
  },
  { subtype: 'stripe_key', starts: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_', 'pk_live_', 'pk_test_'], re: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}\b/y, score: 1 },
  { subtype: 'stripe_webhook_secret', starts: ['whsec_'], re: /\bwhsec_[A-Za-z0-9]{24,}\b/y, score: 1 },
  { subtype: 'google_api_key', starts: ['AIza'], re: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/y, score: 1 },
  { subtype: 'openai_key', starts: ['sk-'], re: /\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}\b|\bsk-(?:proj|svcacct)-[A-Za-z0-9_-]{40,}/y, score: 1 },
  { subtype: 'anthropic_key', starts: ['sk-ant-'], re: /\bsk-ant-[A-Za-z0-9_-]{20,}/y, score: 1 },
  { subtype: 'npm_token', starts: ['npm_'], re: /\bnpm_[A-Za-z0-9]{36}\b/y, score: 1 },
  { subtype: 'sendgrid_key', starts: ['SG.'], re: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/y, score: 1 },
  { subtype: 'twilio_key', starts: ['SK'], re: /\bSK[0-9a-f]{32}\b/y, score: 0.8 },
  { subtype: 'jwt', starts: ['eyJ'], re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/y, score: 0.95, check: jwtHeader },
  { subtype: 'warden_key', starts: ['wdn_'], re: /\bwdn_[A-Za-z0-9_-]{16,}/y, score: 1 },
  {
    // "Authorization: Bearer 8f14e45f…" (curl commands, HTTP logs): any token of an authorization header
    subtype: 'authorization_header',
    starts: ['authorization'],
    ci: true,
    re: /\bauthorization["']?\s*[:=]\s*["']?(?:bearer|token|basic)\s+([A-Za-z0-9._~+\/-]{16,}=*)/iy,
    score: 0.85,
    group: 1,
    check: (s) => !/^(?:x{3,}|\*+|\.{3,})$/i.test(s),
  },
  {
    // "my password is hunter2", "pw: Tr0ub4dor&3", "the new passcode is 8841-22", "use password 'correct horse'",
    // "password=…" (see passwordValue for what the value may be after each of these links)
    subtype: 'password',
    starts: ['pass', 'pw'],
    ci: true,
    re: PASSWORD,
    score: 0.8,
    group: 5,
    check: passwordValue,
  },
  {
    // "login admin / S3cure!pass", "login: root/Tr0ub4dor&3": a user name, a slash and the password
    subtype: 'password',
    starts: ['login', 'logon'],
    ci: true,
    re: /\blog(?:in|on)(?:\s*[:=]\s*|\s+)["']?[A-Za-z][\w.@+-]{0,63}["']?\s*[/|]\s*["']?([^\s"'`,;]{3,127}[^\s"'`,;.:)])/iy,
    score: 0.75,
    group: 1,
    check: (s) => !/^[<{$%*(\[/]/.test(s) && !PLACEHOLDER.test(s) && STRONG.test(s),
  },
  {
    subtype: 'password_assignment',
    starts: ['secret', 'api', 'access', 'auth', 'client'],
    ci: true,
    re: /\b(?:secret(?:[_-]?key)?|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret)\s*[:=]\s*["']?([^\s"',;]{8,})/iy,
    score: 0.75,
    group: 1,
    check: (s) => !/^[<{$%]/.test(s) && !/^\*+$/.test(s),
  },
];

/** The rules, for tests. */
export const secretRules = RULES;

/** Verdicts on JWT headers, remembered: tokens share a handful of headers ({"alg":"HS256","typ":"JWT"}). */
const JWT_HEADERS = new Map<string, boolean>();
const JWT_MEMO_SIZE = 256;

function jwtHeader(s: string): boolean {
  const encoded = s.slice(0, s.indexOf('.'));
  let ok = JWT_HEADERS.get(encoded);
  if (ok === undefined) {
    ok = decodesToHeader(encoded);
    if (JWT_HEADERS.size >= JWT_MEMO_SIZE) JWT_HEADERS.clear();
    JWT_HEADERS.set(encoded, ok);
  }
  return ok;
}

function decodesToHeader(encoded: string): boolean {
  try {
    const head = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    return typeof head === 'object' && head !== null && typeof head.alg === 'string';
  } catch {
    return false;
  }
}

export const secretsDetector: Detector = {
  types: ['SECRET'],
  detect(text, _ctx, index = indexText(text)) {
    const out: Candidate[] = [];
    const at = startsByRule(text, index.secret, index.link);
    for (let r = 0; r < RULES.length; r++) {
      const rule = RULES[r];
      const starts = at[r];
      if (!starts) continue;
      let reach = 0;
      for (const p of starts) {
        if (p < reach) continue;
        rule.re.lastIndex = p;
        const m = rule.re.exec(text);
        if (!m) continue;
        reach = p + m[0].length;
        const value = rule.group ? m[rule.group] : m[0];
        if (value === undefined) continue;
        if (rule.check && !rule.check(value, m)) continue;
        const start = m.index + (rule.group ? m[0].lastIndexOf(value) : 0);
        // two rules may find one key ("aws_secret_access_key = …" by its name and beside its access key id): once
        if (reported(out, start, start + value.length)) continue;
        out.push(candidate('SECRET', start, start + value.length, rule.score, rule.subtype, false, true));
      }
    }
    return out;
  },
};

/** An earlier rule reported this very span (a text holds a handful of secrets, so a walk over them is enough). */
function reported(out: readonly Candidate[], start: number, end: number): boolean {
  for (const c of out) if (c.start === start && c.end === end) return true;
  return false;
}

/** The literals of one rule that begin with the same two characters (compared without case when `ci`). */
interface Opening {
  rule: number;
  words: readonly string[];
  ci: boolean;
}

/** Both cases of an ASCII letter (a rule that ignores case takes either); any other character as it is. */
const casesOf = (ch: string, ci: boolean) => (ci && /[a-z]/i.test(ch) ? [ch.toLowerCase(), ch.toUpperCase()] : [ch]);

/**
 * The rules that open at a word start, by the first two characters of their literals (every literal has
 * two, both ASCII), in rule order: a word start is compared only with the literals that share its first
 * two characters, instead of with every literal of every rule that shares its first letter.
 */
const BY_PAIR: (Opening[] | undefined)[] = new Array(128 * 128);
RULES.forEach((rule, r) => {
  if (rule.anywhere) return;
  const ci = rule.ci === true;
  const byPair = new Map<number, string[]>();
  for (const w of rule.starts) {
    for (const a of casesOf(w[0], ci)) {
      for (const b of casesOf(w[1], ci)) {
        const pair = a.charCodeAt(0) * 128 + b.charCodeAt(0);
        byPair.set(pair, [...(byPair.get(pair) ?? []), w]);
      }
    }
  }
  for (const [pair, words] of byPair) (BY_PAIR[pair] ??= []).push({ rule: r, words, ci });
});

/** For each rule (by position), the ascending positions where one of its literals begins, or undefined. */
function startsByRule(text: string, wordStarts: readonly number[], links: readonly number[]): (number[] | undefined)[] {
  const at: (number[] | undefined)[] = new Array(RULES.length);
  for (const p of wordStarts) {
    const a = text.charCodeAt(p);
    const b = text.charCodeAt(p + 1);
    const openings = a < 128 && b < 128 ? BY_PAIR[a * 128 + b] : undefined;
    if (openings === undefined) continue;
    for (const { rule, words, ci } of openings) {
      for (const w of words) {
        if (opensWith(text, p, w, ci)) {
          (at[rule] ??= []).push(p);
          break;
        }
      }
    }
  }
  RULES.forEach((rule, r) => {
    if (!rule.anywhere) return;
    if (rule.atLink) {
      // each literal is "<letters>://…": it can only begin inside a recorded letter run, its "://" where the run ends
      for (const l of links) {
        let e = l;
        while (isAsciiLetter(text.charCodeAt(e))) e++;
        if (!text.startsWith('://', e)) continue;
        for (const w of rule.starts) {
          const p = e - w.indexOf('://');
          if (p >= l && text.startsWith(w, p)) (at[r] ??= []).push(p);
        }
      }
      return;
    }
    for (const { word, lead, tail } of BY_INDEX_OF[r]) {
      for (let i = text.indexOf(tail, lead); i >= 0; i = text.indexOf(tail, i + 1)) if (text.startsWith(word, i - lead)) (at[r] ??= []).push(i - lead);
    }
  });
  return at;
}

/**
 * The literals of each rule found by indexOf, each with the part from its first letter on (`tail`, `lead`
 * characters in): indexOf is looked up with the tail and the whole literal checked at each hit, since
 * indexOf is far slower on a literal that opens with '-----' (dashes are common in text) than on one
 * that opens with a capital.
 */
const BY_INDEX_OF = RULES.map((rule) =>
  rule.starts.map((word) => {
    const lead = Math.max(0, word.search(/[A-Za-z]/));
    return { word, lead, tail: word.slice(lead) };
  }),
);

/** text starts with `w` at p (ASCII letters compared without case when `ci`: a regex without the u flag folds no other character to them). */
function opensWith(text: string, p: number, w: string, ci: boolean): boolean {
  if (p + w.length > text.length) return false;
  for (let k = 0; k < w.length; k++) {
    const a = text.charCodeAt(p + k);
    const b = w.charCodeAt(k);
    if (a === b) continue;
    if (!ci || (a | 32) !== (b | 32) || (b | 32) < 97 || (b | 32) > 122) return false;
  }
  return true;
}
