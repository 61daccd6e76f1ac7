import { piiError } from './errors.js';

/** Guards on what comes in: well-formed text, bounded sizes and JSON depth. */
export const LIMITS = {
  /** Largest text scanned in one call (UTF-16 code units); stream anything larger. */
  maxTextLength: 16 * 1024 * 1024,
  /** Longest single line when streaming (bytes). */
  maxLineBytes: 4 * 1024 * 1024,
  maxJsonDepth: 64,
  /**
   * Most characters the JSON Pointers of one call's findings hold together: each finding repeats the
   * whole path of its string, so a long field name above many short strings would make the answer
   * gigabytes (a 600 KB body took the service down with its heap).
   */
  maxPathsLength: 16 * 1024 * 1024,
} as const;

/** Throws PII_INVALID_UTF8 for lone surrogates (what invalid UTF-8 becomes once decoded leniently). */
export function checkText(text: unknown, maxLength: number = LIMITS.maxTextLength): string {
  checkSize(text, maxLength);
  if (!(text as string & { isWellFormed(): boolean }).isWellFormed()) throw notWellFormed();
  return text as string;
}

/**
 * checkText without the well-formedness test, for callers that learn it on their own walk over the text
 * (a scan's pre-pass sees every non-ASCII code unit anyway): they throw notWellFormed() themselves.
 */
export function checkSize(text: unknown, maxLength: number = LIMITS.maxTextLength): asserts text is string {
  if (typeof text !== 'string') throw piiError('PII_INVALID_INPUT', 'text must be a string');
  if (text.length > maxLength) throw piiError('PII_INPUT_TOO_LARGE', `text exceeds ${maxLength} characters; stream it instead`, { limit: maxLength });
}

/** The error for text with lone surrogates. */
export const notWellFormed = () => piiError('PII_INVALID_UTF8', 'text is not well-formed Unicode (invalid UTF-8 or lone surrogates)');

const decoder = new TextDecoder('utf-8', { fatal: true });
const keepingBom = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes bytes strictly: invalid UTF-8 is an error, never silently replaced. A byte order mark
 * opening the bytes is dropped, as at the start of a file or body; `midStream` keeps it, for a
 * piece that does not start the input (the second line of a file on: U+FEFF there is content).
 */
export function decodeUtf8(bytes: Uint8Array, midStream = false): string {
  try {
    return (midStream ? keepingBom : decoder).decode(bytes);
  } catch {
    throw piiError('PII_INVALID_UTF8', 'input is not valid UTF-8');
  }
}

/** Parses JSON from text with a clear error (never echoing the input). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw piiError('PII_INVALID_JSON', 'input is not valid JSON');
  }
}
