import { piiError } from './errors.js';
import type { Candidate, Detector } from './types.js';
import { en } from './lang/en.js';
import { namedValidator } from './validators/registry.js';
import { candidate } from './detectors/util.js';
import { backtrackRisk } from './regex-safety.js';

/** A recognizer declared in configuration, without code. */
export interface CustomRecognizerConfig {
  /** Entity type it produces, e.g. 'EMPLOYEE_ID' (upper snake case). */
  entity: string;
  /** A JavaScript regular expression source; the whole match is the finding. */
  pattern: string;
  /** Extra flags besides the always-on 'g' (only 'i', 'u', 'm', 's'). */
  flags?: string;
  /** A named validator (see validators/registry.ts): 'luhn', 'iban', 'us_ssn' … */
  validator?: string;
  /** Context words that raise the score when found shortly before. */
  context?: string[];
  /** Base score (default 0.6). */
  score?: number;
  /** Only report matches that have a context word nearby. */
  requireContext?: boolean;
}

const MAX_PATTERN = 500;

/** Validates the configuration when the detector is created, so mistakes fail fast. */
export function createCustomDetector(cfg: CustomRecognizerConfig): Detector {
  const bad = (why: string) => piiError('PII_INVALID_RECOGNIZER', `custom recognizer ${cfg.entity ?? '?'}: ${why}`);
  if (typeof cfg.entity !== 'string' || !/^[A-Z][A-Z0-9_]{1,63}$/.test(cfg.entity)) throw bad('entity must be UPPER_SNAKE_CASE');
  // in an operator list DEFAULT stands for every type not named: an entity of that name could not have its own
  if (cfg.entity === 'DEFAULT') throw bad('the entity name DEFAULT is reserved (in operators it means every other type)');
  if (typeof cfg.pattern !== 'string' || cfg.pattern.length === 0 || cfg.pattern.length > MAX_PATTERN) throw bad('pattern missing or too long');
  if (cfg.flags && !/^[imsu]*$/.test(cfg.flags)) throw bad('flags may only be i, m, s, u');
  // (the type's words in the default language count: a recognizer may add to a built-in type such as PHONE_NUMBER)
  if (cfg.requireContext && !cfg.context?.length && !en.context[cfg.entity]?.length) {
    throw bad('require_context needs context words (with none, nothing would ever be reported)');
  }
  const score = cfg.score ?? 0.6;
  if (!(score > 0 && score <= 1)) throw bad('score must be in (0, 1]');
  const validate = cfg.validator === undefined ? undefined : namedValidator(cfg.validator);
  if (cfg.validator !== undefined && !validate) throw bad(`unknown validator ${cfg.validator}`);
  let re: RegExp;
  try {
    re = new RegExp(cfg.pattern, 'g' + (cfg.flags ?? ''));
  } catch {
    throw bad('pattern is not a valid regular expression');
  }
  if (re.test('')) throw bad('pattern matches the empty string');
  const risk = backtrackRisk(cfg.pattern, cfg.flags);
  if (risk) throw bad(`pattern may backtrack catastrophically on a crafted input: ${risk}`);
  re.lastIndex = 0;
  return {
    types: [cfg.entity],
    detect(text) {
      const out: Candidate[] = [];
      for (const m of text.matchAll(re)) {
        if (m[0].length === 0) continue;
        if (validate && !validate(m[0])) continue;
        out.push(candidate(cfg.entity, m.index, m.index + m[0].length, score, undefined, cfg.requireContext));
      }
      return out;
    },
  };
}
