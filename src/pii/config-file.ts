import { readFileSync } from 'node:fs';
import { isSupportedCountry } from 'libphonenumber-js/max';
import { parse } from 'yaml';
import { createCustomDetector, type CustomRecognizerConfig } from './custom.js';
import type { DetectorConfig } from './detector.js';
import { piiError } from './errors.js';
import { decodeUtf8 } from './input.js';

/**
 * The PII settings file (WARDEN_PII_CONFIG, or `--config` on the CLI), YAML or JSON:
 *
 *   regions: [US, DE, FR]          # national phone numbers of these regions (default US and the EU)
 *   recognizers:                   # custom entities, without code
 *     - entity: EMPLOYEE_ID
 *       pattern: 'EMP-\d{6}'
 *       flags: i                   # optional: i, m, s, u
 *       validator: luhn            # optional, a named validator
 *       context: [employee, staff] # optional words that raise the score shortly before
 *       score: 0.7                 # optional base score (default 0.6)
 *       require_context: false     # optional: report only with a context word nearby
 *   allow_list:                    # values never reported (exact text), e.g. the support address
 *     - support@example.com
 *
 * Everything is checked when the file is read, naming the file and the place of a mistake, so a
 * service with a wrong file does not start and a CLI run exits 2 before reading its input.
 */
export function loadPiiConfigFile(path: string): DetectorConfig {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw invalid(path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let raw: string;
  try {
    raw = decodeUtf8(bytes); // strictly: another encoding is refused, not read with its letters replaced by U+FFFD
  } catch {
    throw invalid(path, 'is not valid UTF-8');
  }
  let doc: unknown;
  try {
    doc = parse(raw, { maxAliasCount: 0 });
  } catch (e) {
    throw invalid(path, `is not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  return parsePiiConfig(doc ?? {}, path);
}

const TOP = new Set(['regions', 'recognizers', 'allow_list']);
const MAX_ALLOW = 10_000;
const RECOGNIZER = new Set(['entity', 'pattern', 'flags', 'validator', 'context', 'score', 'require_context']);
const MAX_RECOGNIZERS = 200;

/** Checks a parsed settings document (see loadPiiConfigFile); `source` names it in errors. */
export function parsePiiConfig(doc: unknown, source = 'PII settings'): DetectorConfig {
  if (!isRecord(doc)) throw invalid(source, 'must be a mapping with "regions", "recognizers" and/or "allow_list"');
  for (const k of Object.keys(doc)) if (!TOP.has(k)) throw invalid(source, `has an unknown setting "${k}" (known: ${[...TOP].join(', ')})`);
  const out: { regions?: string[]; recognizers?: CustomRecognizerConfig[]; allowList?: string[] } = {};
  if (doc.allow_list !== undefined) {
    if (!Array.isArray(doc.allow_list) || doc.allow_list.length > MAX_ALLOW) throw invalid(source, `allow_list must be a list of at most ${MAX_ALLOW} values`);
    out.allowList = doc.allow_list.map((v, i) => {
      if (typeof v !== 'string' || v.length === 0 || v.length > 512) throw invalid(source, `allow_list[${i}] must be a non-empty string of at most 512 characters`);
      return v;
    });
  }
  if (doc.regions !== undefined) {
    if (!Array.isArray(doc.regions) || doc.regions.length === 0) throw invalid(source, 'regions must be a non-empty list of region codes such as US, DE');
    out.regions = doc.regions.map((r, i) => {
      if (typeof r !== 'string' || !/^[A-Z]{2}$/.test(r) || !isSupportedCountry(r)) {
        throw invalid(source, `regions[${i}] ${JSON.stringify(r)} is not a region code with a telephone numbering plan (two capital letters, e.g. US)`);
      }
      return r;
    });
    out.regions = [...new Set(out.regions)];
  }
  if (doc.recognizers !== undefined) {
    if (!Array.isArray(doc.recognizers)) throw invalid(source, 'recognizers must be a list');
    if (doc.recognizers.length > MAX_RECOGNIZERS) throw invalid(source, `has more than ${MAX_RECOGNIZERS} recognizers`);
    out.recognizers = doc.recognizers.map((r, i) => {
      const at = `recognizers[${i}]`;
      if (!isRecord(r)) throw invalid(source, `${at} must be a mapping`);
      for (const k of Object.keys(r)) if (!RECOGNIZER.has(k)) throw invalid(source, `${at} has an unknown setting "${k}" (known: ${[...RECOGNIZER].join(', ')})`);
      const text = (k: string) => {
        if (r[k] !== undefined && typeof r[k] !== 'string') throw invalid(source, `${at}.${k} must be a string`);
        return r[k] as string | undefined;
      };
      if (r.context !== undefined && (!Array.isArray(r.context) || r.context.some((w) => typeof w !== 'string' || w.trim() === '' || w.length > 64))) {
        throw invalid(source, `${at}.context must be a list of words (at most 64 characters each)`);
      }
      if (r.score !== undefined && typeof r.score !== 'number') throw invalid(source, `${at}.score must be a number in (0, 1]`);
      if (r.require_context !== undefined && typeof r.require_context !== 'boolean') throw invalid(source, `${at}.require_context must be true or false`);
      const cfg: CustomRecognizerConfig = {
        entity: text('entity') as string,
        pattern: text('pattern') as string,
        flags: text('flags'),
        validator: text('validator'),
        context: r.context as string[] | undefined,
        score: r.score as number | undefined,
        requireContext: r.require_context as boolean | undefined,
      };
      try {
        createCustomDetector(cfg);
      } catch (e) {
        throw invalid(source, `${at}: ${(e as Error).message}`);
      }
      return cfg;
    });
    const seen = new Set<string>();
    for (const r of out.recognizers) {
      const key = `${r.entity}\u0000${r.pattern}\u0000${r.flags ?? ''}`;
      if (seen.has(key)) throw invalid(source, `declares the recognizer ${r.entity} /${r.pattern}/ twice`);
      seen.add(key);
    }
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function invalid(source: string, why: string) {
  return piiError('PII_INVALID_CONFIG', `${source} ${why}`);
}
