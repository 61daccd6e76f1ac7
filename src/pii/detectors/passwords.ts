/**
 * Passwords as people write them (in prose, as a field, after a label) and what stands where a password
 * goes but is none; the SECRET rules of secrets.ts and secret JSON fields (secret-fields.ts) use them.
 */

/** Words written where a password goes in examples and docs ("postgres://user:password@host"). */
export const PLACEHOLDER = /^(?:password|passwd|pass|pwd|secret|changeme|pa\$\$word|x{3,}|\.{3,})$/i;

/**
 * A password in prose or as a field: one of the words (plain "pass" only before ':' or '='), then what it is
 * for ("the password for the vpn", taken only when a link other than a space follows), then the link: group 2
 * for ':', '=' or '=>' (also after the closing quote of a field name: "password": "…"), the verbs of prose
 * ("is", "was changed to", "changed my password to" …, longest first, since no other link is tried once the
 * check refuses the value), or group 3 for the value right after the word ("use password 'x'"). Group 4 is an
 * opening quote; group 5 the value: up to the closing quote, else a run without white space whose last
 * character is no sentence mark.
 */
export const PASSWORD = new RegExp(
  String.raw`\b(?:pass(?:word|wd|code|phrase)|pwd?|pass(?=\s*[:=]))` +
    String.raw`(\s+(?:for|of|on|to)(?:\s+[^\s:=,;]{1,32}){1,3}?(?=\s*[:=]|\s+(?:is|was|has|got|changed|set|reset|updated|now)\s))?` +
    String.raw`(?:(["']?\s*(?:=>|[:=])\s*)|\s+(?:(?:(?:is|was|has\s+been|got)\s+)?(?:changed|set|reset|updated)\s+to|(?:is|was)\s+(?:now|still)|now\s+is|is|was|to)\s*:?\s+|(\s+))` +
    String.raw`(["'${'`'}“‘])?` +
    String.raw`((?<=["'${'`'}“‘])[^\n"'${'`'}“”‘’]{1,64}(?=["'${'`'}”’])|[^\s"'${'`'}“”‘’,;]{0,255}[^\s"'${'`'}“”‘’,;.:)])`,
  'iy',
);

/** A character of a password that ordinary words in prose do not hold: a digit or a symbol (not - ' . ,). */
export const STRONG = /[0-9!@#$%^&*+=?~_|\\/<>[\]{}()]/;

/** Only masking characters: "********", "•••••", "xxxx". */
const MASKED = /^[*•·x.#_-]+$/i;

/** Words after "password:" or quoted after "password" in forms, logs and instructions that are no password. */
const NOT_A_PASSWORD = new Set([
  'required', 'optional', 'incorrect', 'invalid', 'wrong', 'correct', 'expired', 'unchanged', 'changed', 'reset', 'empty',
  'blank', 'none', 'null', 'unknown', 'unset', 'hidden', 'redacted', 'removed', 'masked', 'encrypted', 'protected',
  'different', 'same', 'provided', 'attached', 'disabled', 'enabled', 'generated', 'forgotten', 'mismatch', 'username',
  'nil', 'undefined', 'n/a', 'true', 'false',
]);

/**
 * What stands where a password goes but is none: a template or placeholder ("<pw>", "${DB_PASSWORD}",
 * "{{secret}}", "%PASS%"), a mask ("********"), an example word ("changeme") or a form word ("required").
 */
export function noPasswordValue(s: string): boolean {
  return /^[<{$%([]/.test(s) || MASKED.test(s) || PLACEHOLDER.test(s) || NOT_A_PASSWORD.has(s.toLowerCase());
}

/** Code that reads the password from elsewhere: os.getenv(, config.get(, process.env.DB_PASS, settings.PASSWORD. */
const CODE_REFERENCE = /^(?:[A-Za-z_$][\w$]*\.)+[A-Za-z_$][\w$]*\(?$|\($/;

/**
 * The value of a password (PASSWORD's group 5) is taken when it is no placeholder and: quoted; after ':' or '='
 * no code, and four characters with a digit or symbol or eight of any kind ("password: Xy9#kq", "pwd=letmein1");
 * after a verb ("is", "was changed to") four with a digit or symbol, since prose goes on with words ("my
 * password is wrong", "the password is too short"); right after the word, six with a letter and a digit, and not
 * after what the password is for ("the password for bob expired 2024-01-05").
 */
export function passwordValue(s: string, m: RegExpExecArray): boolean {
  if (noPasswordValue(s)) return false;
  if (m[4] !== undefined && /["'`”’]/.test(m.input.charAt(m.index + m[0].length))) return true;
  if (m[2] !== undefined) return !CODE_REFERENCE.test(s) && (s.length >= 8 || (s.length >= 4 && STRONG.test(s)));
  if (m[3] !== undefined) return m[1] === undefined && s.length >= 6 && /[A-Za-z]/.test(s) && /[0-9]/.test(s);
  return s.length >= 4 && STRONG.test(s);
}
