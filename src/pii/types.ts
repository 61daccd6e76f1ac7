/** Shared types of the pii capability (detectors, findings, operators). */

/** The built-in entity types; custom recognizers may add their own names. */
export const BUILTIN_ENTITIES = [
  'EMAIL_ADDRESS', 'PHONE_NUMBER', 'US_SSN', 'CREDIT_CARD', 'IP_ADDRESS', 'IBAN_CODE', 'URL',
  'MAC_ADDRESS', 'CRYPTO', 'DATE_TIME', 'PERSON', 'LOCATION', 'US_PASSPORT', 'US_BANK_NUMBER', 'SECRET',
] as const;

export type BuiltinEntity = (typeof BUILTIN_ENTITIES)[number];
export type EntityType = BuiltinEntity | (string & {});

/** One finding: offsets index the text as JavaScript strings do (UTF-16 code units). */
export interface Finding {
  type: EntityType;
  start: number;
  end: number;
  score: number;
  /** Finer kind where useful: 'aws_access_key', 'date_of_birth', 'visa' … */
  subtype?: string;
}

/** What a detector proposes before context scoring and overlap resolution. */
export interface Candidate extends Finding {
  /** Drop the candidate unless a context word of its type is nearby. */
  needsContext?: boolean;
  /** Candidate already carries its context judgement (e.g. PERSON); skip the generic boost. */
  contextDone?: boolean;
}

/** Everything a detector may consult besides the text. */
export interface DetectContext {
  lang: LanguagePack;
  /** ISO 3166 regions for national phone numbers, most likely first. */
  regions: readonly string[];
}

/**
 * Where detectors may match, found by one pass over the text (prepass.ts). Positions are
 * UTF-16 offsets in ascending order.
 */
export interface TextIndex {
  /** Maximal runs of ASCII digits as pairs: start, end, start, end … */
  digits: number[];
  /** '@' */
  at: number[];
  /** ':' */
  colon: number[];
  /** '-' between two hex digits */
  dash: number[];
  /** '.' between two hex digits */
  dot: number[];
  /** Start of the letters before '://', and of 'www.' (any case). */
  link: number[];
  /** Upper-case letters not after a letter, digit or one of _ @ # / . ' ’ - (where a name may start). */
  caps: number[];
  /** ASCII word starts (\\b before a letter) whose first two characters open some secret prefix. */
  secret: number[];
  /**
   * The whole text lower-cased, made on first use (lowerText in detectors/util.ts) and shared by every
   * detector and the context judge of one scan; null when lower-casing changes the text's length.
   */
  lower?: string | null;
  /** No U+0130 or U+212A in the text (recorded by the pre-pass; caselessBefore in detectors/util.ts relies on it). */
  plainCase?: boolean;
  /** No lone surrogate in the text (String.prototype.isWellFormed), recorded by the pre-pass. */
  wellFormed?: boolean;
  /** The text holds a character its plain form changes (a zero-width space, a full-width digit …; see disguise.ts). */
  disguised?: boolean;
}

/** One detector per file, behind this interface. */
export interface Detector {
  /** The entity types it can produce (used to skip it when not requested). */
  readonly types: readonly EntityType[];
  /** `index` is the pre-pass over the same text; detectors that use it build it when it is not given. */
  detect(text: string, ctx: DetectContext, index?: TextIndex): Candidate[];
}

/** Language-dependent words. English ships; others plug in with the same shape. */
export interface LanguagePack {
  code: string;
  /** Words that, a few words before a candidate (or as its JSON field name), raise its score. */
  context: Partial<Record<EntityType, readonly string[]>>;
  /** Words that right before a number make it a non-entity (e.g. 'version', 'order'). */
  negativeContext: readonly string[];
  /** Words before a date that mark a date of birth. */
  birthContext: readonly string[];
  /**
   * Endings of JSON field names whose whole string value is a secret ({"password": "hunter2"}), compared
   * lower-cased with '_', '-', '.' and spaces removed ("client_secret" ends with "secret").
   */
  secretFields?: readonly string[];
  person: PersonLexicon;
}

export interface PersonLexicon {
  titles: ReadonlySet<string>;
  /** Lower-case cues a few words before a name ('name is', 'dear', 'spoke with'). */
  before: readonly string[];
  /**
   * Lower-case cues that raise a name's score less (WEAK_CUE in person.ts): bare prepositions ('to', 'for',
   * 'with') come before a capitalised product, team, page or place at least as often as before a name
   * ("Go to Settings", "Integration with Zapier"). A cue of `before` that ends the same way wins.
   */
  weakBefore?: readonly string[];
  /** Lower-case cues right after a name ('said', 'wrote'). */
  after: readonly string[];
  particles: ReadonlySet<string>;
  isFirstName(lower: string): boolean;
  isLastName(lower: string): boolean;
  /** A capitalised word that is not a name here (sentence starts, days, products). */
  isCommonWord(lower: string): boolean;
  /**
   * Optional single lookup for the three tests above: 'F' first name, 'L' surname, 'C' a word that is
   * never a name, 'W' an ordinary word that may still be a surname right after a given name ("Lou Rice").
   */
  kindOf?(lower: string): 'F' | 'L' | 'C' | 'W' | undefined;
  surnameSuffixes: readonly string[];
  /**
   * Words that, written after a run of names, make it a company ("Goodwin Inc", "Herzog and Sons",
   * "Raynor Group"): matched case-sensitively as written, after a space or ", ".
   */
  organizationSuffixes?: readonly string[];
  /**
   * Companies and brands named after people ("Calvin Klein", "Morgan Stanley", "Johnson & Johnson"),
   * as written: a name that is one of them, or opens one, is not a person's.
   */
  organizations?: readonly string[];
  /**
   * Given names that are ordinary words or terms too ("will", "grace", "frank", "min"), lower case. A word
   * of these that the lexicon has as an ordinary word ('W': "Will", "Frank") is a given name right before
   * a known surname ("Frank Morrison") or when 'and' joins it to a name ("Frank and Linda Morrison").
   */
  givenWords?: ReadonlySet<string>;
  /**
   * Strong cues after which a known given name counts in lower case too, as chats and prompts write names
   * ("ask sarah", "my name is mike jones", "cc: tom"); all lower case. The text is never searched for each
   * cue: every `inline` cue holds one of the `anchors`, rare strings found with indexOf, and is compared only
   * there; `openers` ("hi", "dear") count at the start of the text; `labels` ("cc", "attn") right before a
   * ':' the pre-pass recorded.
   */
  lowerCase?: { anchors: readonly string[]; inline: readonly string[]; openers: readonly string[]; labels: readonly string[] };
}
