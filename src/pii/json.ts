import { piiError } from './errors.js';
import { LIMITS } from './input.js';

/**
 * Walks every string of a JSON value (object keys are kept as they are), giving
 * the nearest field name as context (its first MAX_FIELD_HINT characters). Depth is bounded; the input is not mutated.
 */
export type StringVisitor = (value: string, path: string, field: string | undefined) => string | Promise<string>;

const pointerEscape = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Longest field name given to a visitor as context. A field name is one or a few words; read whole it
 * would be read again for every string below it, so a field name of 500 KB above 20,000 short strings
 * (a 600 KB body) cost seconds of CPU per request. Longer names count by their start.
 */
export const MAX_FIELD_HINT = 256;
const hintOf = (k: string) => (k.length > MAX_FIELD_HINT ? k.slice(0, MAX_FIELD_HINT) : k);

export async function mapJsonStrings(value: unknown, visit: StringVisitor, maxDepth: number = LIMITS.maxJsonDepth): Promise<unknown> {
  const walk = async (v: unknown, path: string, field: string | undefined, depth: number): Promise<unknown> => {
    if (depth > maxDepth) throw piiError('PII_JSON_TOO_DEEP', `JSON nested deeper than ${maxDepth} levels`, { limit: maxDepth });
    if (typeof v === 'string') return visit(v, path, field);
    if (v === null || typeof v !== 'object') {
      if (typeof v === 'number' || typeof v === 'boolean' || v === null) return v;
      throw piiError('PII_INVALID_INPUT', 'value is not JSON');
    }
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (let i = 0; i < v.length; i++) out.push(await walk(v[i], `${path}/${i}`, field, depth + 1));
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(v)) {
      // defined, not assigned: a field named __proto__ (an own field after JSON.parse) would set the prototype and vanish
      Object.defineProperty(out, k, { value: await walk(child, `${path}/${pointerEscape(k)}`, hintOf(k), depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  return walk(value, '', undefined, 0);
}

/** Synchronous visit of every string (for scanning). */
export function forEachJsonString(value: unknown, visit: (value: string, path: string, field: string | undefined) => void, maxDepth: number = LIMITS.maxJsonDepth): void {
  const walk = (v: unknown, path: string, field: string | undefined, depth: number): void => {
    if (depth > maxDepth) throw piiError('PII_JSON_TOO_DEEP', `JSON nested deeper than ${maxDepth} levels`, { limit: maxDepth });
    if (typeof v === 'string') visit(v, path, field);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}/${i}`, field, depth + 1));
    else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) walk(child, `${path}/${pointerEscape(k)}`, hintOf(k), depth + 1);
    }
  };
  walk(value, '', undefined, 0);
}

/** The error for a JSON document that repeats a field name within one object (spliceJsonStrings gave null). */
export const repeatedFieldName = () =>
  piiError('PII_INVALID_JSON', 'the JSON repeats a field name within one object; its earlier value would be lost: send unique names');

/**
 * True when an object in valid JSON `text` names a field twice (JSON.parse keeps only the last value, so
 * the earlier one would go unscanned). Reads the field names only: cheaper than spliceJsonStrings for a
 * caller that writes nothing back.
 */
export function repeatsFieldName(text: string): boolean {
  // one entry per open container: the field names of an object so far, null for an array
  const stack: Array<{ names: Set<string>; expectName: boolean } | null> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      let escaped = false;
      while (text.charCodeAt(j) !== 0x22) {
        if (text.charCodeAt(j) === 0x5c /* \ */) {
          escaped = true;
          j += 2;
        } else j++;
      }
      const top = stack[stack.length - 1];
      if (top?.expectName) {
        const name = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        if (top.names.has(name)) return true;
        top.names.add(name);
      }
      i = j;
    } else if (c === 0x7b /* { */) stack.push({ names: new Set(), expectName: true });
    else if (c === 0x5b /* [ */) stack.push(null);
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) stack.pop();
    else if (c === 0x3a /* : */) stack[stack.length - 1]!.expectName = false;
    else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top) top.expectName = true;
    }
  }
  return false;
}

interface Frame {
  /** The same container in the updated value. */
  node: unknown;
  isObject: boolean;
  /** In an object: the next string is a field name. */
  expectKey: boolean;
  key: string;
  index: number;
  keys: Set<string>;
}

/**
 * Writes `updated` (the value parsed from `text`, with some strings changed by mapJsonStrings) as
 * `text` with only those strings replaced: numbers (integers beyond 2^53, 1.0, 1e400), spacing and
 * escapes stay exactly as written, where JSON.stringify of the parsed value would change them.
 * `text` must be valid JSON. Returns null when it cannot line the two up (a repeated field name:
 * JSON.parse kept only the last one), for the caller to fall back to JSON.stringify.
 */
export function spliceJsonStrings(text: string, updated: unknown): string | null {
  const stack: Frame[] = [];
  const parts: string[] = [];
  let last = 0;
  const current = (): unknown => {
    const top = stack[stack.length - 1];
    if (!top) return updated;
    return top.isObject ? (top.node as Record<string, unknown>)[top.key] : (top.node as unknown[])[top.index];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      while (text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c /* \ */ ? 2 : 1;
      const raw = text.slice(i, j + 1);
      const top = stack[stack.length - 1];
      if (top?.isObject && top.expectKey) {
        top.key = JSON.parse(raw) as string;
        if (top.keys.has(top.key)) return null;
        top.keys.add(top.key);
      } else {
        const now = current();
        if (typeof now !== 'string') return null;
        if (now !== JSON.parse(raw)) {
          parts.push(text.slice(last, i), JSON.stringify(now));
          last = j + 1;
        }
      }
      i = j;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      stack.push({ node: current(), isObject: c === 0x7b, expectKey: c === 0x7b, key: '', index: 0, keys: new Set() });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x3a /* : */) {
      stack[stack.length - 1].expectKey = false;
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top.isObject) top.expectKey = true;
      else top.index++;
    }
  }
  parts.push(text.slice(last));
  return parts.join('');
}

/** Index just past the JSON value that starts at `i` in valid JSON `text` (strings, nesting and scalars). */
function valueEnd(text: string, i: number): number {
  let depth = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i++;
      while (text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c /* \ */ ? 2 : 1;
      if (depth === 0) return i + 1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
      if (depth < 0) return i; // the end of the enclosing object: a scalar ran up to it
    } else if (depth === 0 && (c === 0x2c /* , */ || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) return i;
  }
  return i;
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * The source text of member `name` of the top-level object in valid JSON `text` (the last one when
 * the name repeats, as JSON.parse keeps), or undefined. With spliceJsonStrings it lets a caller write a
 * member back as the client wrote it: integers beyond 2^53, `1.0`, `1e400` survive unchanged.
 */
export function jsonMemberSource(text: string, name: string): string | undefined {
  let i = 0;
  while (isSpace(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 0x7b) return undefined;
  i++;
  let found: string | undefined;
  for (;;) {
    while (isSpace(text.charCodeAt(i)) || text.charCodeAt(i) === 0x2c) i++;
    if (i >= text.length || text.charCodeAt(i) === 0x7d) return found;
    const keyEnd = valueEnd(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = keyEnd;
    while (isSpace(text.charCodeAt(i)) || text.charCodeAt(i) === 0x3a /* : */) i++;
    const end = valueEnd(text, i);
    if (key === name) found = text.slice(i, end);
    i = end;
  }
}
