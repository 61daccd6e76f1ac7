import { createContextMatcher } from './context.js';
import { createCustomDetector, type CustomRecognizerConfig } from './custom.js';
import { creditCardDetector } from './detectors/credit-card.js';
import { cryptoDetector } from './detectors/crypto-wallet.js';
import { dateTimeDetector } from './detectors/date-time.js';
import { emailDetector } from './detectors/email.js';
import { ibanDetector } from './detectors/iban.js';
import { ipDetector } from './detectors/ip.js';
import { locationDetector } from './detectors/location.js';
import { macDetector } from './detectors/mac.js';
import { personDetector } from './detectors/person.js';
import { phoneDetector } from './detectors/phone.js';
import { secretsDetector } from './detectors/secrets.js';
import { ssnDetector } from './detectors/ssn.js';
import { urlDetector } from './detectors/url.js';
import { usBankNumberDetector, usPassportDetector } from './detectors/us-numbers.js';
import { secretFieldValue } from './detectors/secret-fields.js';
import { piiError } from './errors.js';
import { checkSize, notWellFormed } from './input.js';
import { en } from './lang/en.js';
import { originalSpan, plainForm } from './disguise.js';
import { indexText } from './prepass.js';
import { resolveOverlaps } from './resolve.js';
import type { Detector, DetectContext, EntityType, Finding, LanguagePack, TextIndex } from './types.js';

export const EU_REGIONS = ['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE'] as const;
export const DEFAULT_REGIONS: readonly string[] = ['US', ...EU_REGIONS];
export const DEFAULT_MIN_SCORE = 0.5;

export interface DetectorConfig {
  /** Regions for national phone numbers (default: US and the EU member states). */
  regions?: readonly string[];
  /** Language pack (default English). */
  lang?: LanguagePack;
  /** Recognizers declared in configuration. */
  recognizers?: readonly CustomRecognizerConfig[];
  /** Values never reported, whatever detector proposes them (the support address, the company's own name). */
  allowList?: readonly string[];
}

export interface ScanOptions {
  /** Only these entity types (default: all). */
  entities?: readonly EntityType[];
  /** Drop findings scoring below this (default 0.5). */
  minScore?: number;
  /** Name of the JSON field the text came from; used as a context word. */
  fieldHint?: string;
  /** Values not to report in this scan, besides the configured allow list (exact text of a finding). */
  allowList?: readonly string[] | ReadonlySet<string>;
}

export interface PiiDetector {
  scan(text: string, opts?: ScanOptions): Finding[];
  /** Every entity type this detector can report. */
  readonly entities: readonly EntityType[];
}

const BUILTIN: readonly Detector[] = [
  secretsDetector, emailDetector, urlDetector, creditCardDetector, ibanDetector, ssnDetector, phoneDetector,
  ipDetector, macDetector, cryptoDetector, dateTimeDetector, usPassportDetector, usBankNumberDetector,
  locationDetector, personDetector,
];

/** Pure detection, no database: `createDetector().scan(text)`. */
export function createDetector(config: DetectorConfig = {}): PiiDetector {
  const lang = config.lang ?? en;
  const custom = (config.recognizers ?? []).map((r) => ({ cfg: r, det: createCustomDetector(r) }));
  const extraContext: Record<string, string[]> = {};
  for (const { cfg } of custom) extraContext[cfg.entity] = [...(extraContext[cfg.entity] ?? []), ...(cfg.context ?? []).map((w) => w.toLowerCase())];
  const detectors = [...BUILTIN, ...custom.map((c) => c.det)];
  const entities = [...new Set(detectors.flatMap((d) => d.types))];
  const ctx: DetectContext = { lang, regions: config.regions ?? DEFAULT_REGIONS };
  const context = createContextMatcher(lang, extraContext);
  const allowAlways = config.allowList?.length ? new Set(config.allowList) : null;
  const isAllowed = (value: string, extra: ReadonlySet<string> | null) => allowAlways?.has(value) === true || extra?.has(value) === true;
  /**
   * The checked set of the last entity list a scan named, the detectors it needs, and a copy of the list:
   * a JSON body is scanned string by string with one list, and building and checking these again costs
   * about as much as the scan of a short string. Reused while a scan names the same entities in order.
   */
  let last: { list: EntityType[]; wanted: Set<EntityType>; active: Detector[]; partial: Set<Detector> } | null = null;
  const selectionOf = (list: readonly EntityType[]) => {
    const prev = last;
    if (prev && list.length === prev.list.length && list.every((e, i) => e === prev.list[i])) return prev;
    const wanted = new Set(list);
    for (const e of wanted) if (!entities.includes(e)) throw piiError('PII_UNKNOWN_ENTITY', `unknown entity type ${e}`, { entity: e });
    const active = detectors.filter((d) => d.types.some((t) => wanted.has(t)));
    // the detectors that can also propose unwanted types: only their candidates are checked one by one
    const partial = new Set(active.filter((d) => !d.types.every((t) => wanted.has(t))));
    last = { list: [...list], wanted, active, partial };
    return last;
  };

  return {
    entities,
    scan(text, opts = {}) {
      checkSize(text);
      // one pass over the text finds where each detector may match, and whether it is well-formed
      // (before the entity list is checked, so malformed text is refused first, as checkText did)
      const names = !opts.entities || opts.entities.includes('PERSON');
      const index: TextIndex = indexText(text, names);
      if (!index.wellFormed) throw notWellFormed();
      if (!index.disguised) return scanIndexed(text, index, opts);
      // a zero-width space, full-width digits …: scan the plain form, report the original's offsets
      const plain = plainForm(text);
      return scanIndexed(plain.text, indexText(plain.text, names), opts).map((f) => ({ ...f, ...originalSpan(plain, f.start, f.end) }));
    },
  };

  function scanIndexed(text: string, index: TextIndex, opts: ScanOptions): Finding[] {
    const selection = opts.entities ? selectionOf(opts.entities) : null;
    const min = opts.minScore ?? DEFAULT_MIN_SCORE;
    const found = [];
    const judge = context.forText(text, opts.fieldHint, index);
    const allowed = opts.allowList ? setOf(opts.allowList) : null;
    for (const d of selection ? selection.active : detectors) {
      // a detector that can only propose wanted types (d.types) needs no check per candidate
      const keep = selection !== null && selection.partial.has(d) ? selection.wanted : null;
      for (const c of d.detect(text, ctx, index)) {
        if (keep && !keep.has(c.type)) continue;
        if (!judge(c)) continue;
        if (!(c.score >= min)) continue;
        // allowed values leave before overlaps are settled, so a finding they would have hidden can stand
        if ((allowAlways || allowed) && isAllowed(text.slice(c.start, c.end), allowed)) continue;
        found.push(c);
      }
    }
    if (opts.fieldHint !== undefined && (!selection || selection.wanted.has('SECRET'))) {
      const whole = secretFieldValue(text, opts.fieldHint, lang);
      if (whole && whole.score >= min && !((allowAlways || allowed) && isAllowed(text.slice(whole.start, whole.end), allowed))) found.push(whole);
    }
    return resolveOverlaps(found).map(({ type, start, end, score, subtype }) =>
      subtype ? { type, start, end, score: round(score), subtype } : { type, start, end, score: round(score) },
    );
  }
}

const round = (x: number) => Math.round(x * 100) / 100;

/** A request's allow list as a set, built once per list (a JSON body is scanned string by string with one list). */
const allowSets = new WeakMap<readonly string[], ReadonlySet<string>>();
function setOf(list: readonly string[] | ReadonlySet<string>): ReadonlySet<string> {
  if (!Array.isArray(list)) return list as ReadonlySet<string>;
  let set = allowSets.get(list);
  if (!set) allowSets.set(list, (set = new Set(list)));
  return set;
}
