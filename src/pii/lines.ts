import { isWardenError, WardenError } from '../errors.js';
import { piiError } from './errors.js';
import { decodeUtf8, LIMITS } from './input.js';

/**
 * Splits a byte (or string) stream into lines without holding more than one
 * line plus one chunk in memory. Each line is strictly UTF-8 decoded; a line
 * longer than the limit is an error rather than unbounded buffering. Errors
 * name the (1-based) line.
 */
export async function* splitLines(
  source: AsyncIterable<Uint8Array | string>,
  maxLineBytes: number = LIMITS.maxLineBytes,
): AsyncGenerator<string> {
  let pending: Buffer[] = [];
  let pendingLen = 0;
  let n = 0;
  const tooLong = () => atLine(piiError('PII_LINE_TOO_LONG', `a line exceeds ${maxLineBytes} bytes`, { limit: maxLineBytes }), n + 1);
  const decode = (bytes: Uint8Array) => {
    n++;
    try {
      return stripCr(decodeUtf8(bytes, n > 1));
    } catch (e) {
      throw atLine(e, n);
    }
  };
  for await (const chunk of source) {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10)) {
      const piece = buf.subarray(0, nl);
      if (pendingLen + piece.length > maxLineBytes) throw tooLong();
      const line = pending.length ? Buffer.concat([...pending, piece]) : piece;
      pending = [];
      pendingLen = 0;
      yield decode(line);
      buf = buf.subarray(nl + 1);
    }
    if (buf.length) {
      if (pendingLen + buf.length > maxLineBytes) throw tooLong();
      pending.push(Buffer.from(buf));
      pendingLen += buf.length;
    }
  }
  if (pendingLen > 0) yield decode(Buffer.concat(pending));
}

const stripCr = (s: string) => (s.endsWith('\r') ? s.slice(0, -1) : s);

/** The same Warden error, saying which line of a stream it is about (other errors pass unchanged). */
export function atLine(e: unknown, line: number): unknown {
  if (!isWardenError(e) || 'line' in e.fields) return e;
  return new WardenError(e.code, `line ${line}: ${e.message}`, e.status, { ...e.fields, line }, { cause: e.cause });
}
