import { parseJson } from './input.js';
import { repeatedFieldName, repeatsFieldName, spliceJsonStrings } from './json.js';
import { atLine, splitLines } from './lines.js';
import type { Finding } from './types.js';

/**
 * Line-by-line processing of large inputs: text lines or NDJSON records. Memory
 * stays flat: one line at a time (plus the pseudonym table, which grows only
 * with the number of distinct values pseudonymized).
 */
export type StreamFormat = 'text' | 'ndjson';

export interface LineHandlers {
  text(line: string): Promise<string>;
  json(value: unknown): Promise<unknown>;
}

export async function* transformLines(
  source: AsyncIterable<Uint8Array | string>,
  format: StreamFormat,
  handlers: LineHandlers,
  maxLineBytes?: number,
): AsyncGenerator<string> {
  let n = 0;
  for await (const line of splitLines(source, maxLineBytes)) {
    n++;
    let out: string;
    try {
      if (format === 'ndjson') {
        if (line.trim() === '') continue;
        // written back as it came, but for the changed strings (JSON.stringify would round big integers);
        // a record that repeats a field name is refused, as over HTTP: JSON.parse kept only the last
        // value, so writing the record again would silently drop the earlier one
        const updated = await handlers.json(parseJson(line));
        const written = spliceJsonStrings(line, updated);
        if (written === null) throw repeatedFieldName();
        out = written + '\n';
      } else {
        out = (await handlers.text(line)) + '\n';
      }
    } catch (e) {
      throw atLine(e, n);
    }
    yield out;
  }
}

export interface LineFindings {
  /** 1-based line number. */
  line: number;
  findings: Array<Finding & { path?: string }>;
}

export async function* scanLines(
  source: AsyncIterable<Uint8Array | string>,
  format: StreamFormat,
  scanText: (line: string) => Finding[],
  scanJson: (value: unknown) => Array<Finding & { path: string }>,
  maxLineBytes?: number,
): AsyncGenerator<LineFindings> {
  let n = 0;
  for await (const line of splitLines(source, maxLineBytes)) {
    n++;
    let findings: LineFindings['findings'];
    try {
      if (format === 'ndjson') {
        if (line.trim() === '') continue;
        const value = parseJson(line);
        // JSON.parse kept only the last value of a repeated field name: the earlier one would go
        // unscanned and the record be reported clean
        if (repeatsFieldName(line)) throw repeatedFieldName();
        findings = scanJson(value);
      } else {
        findings = scanText(line);
      }
    } catch (e) {
      throw atLine(e, n);
    }
    if (findings.length) yield { line: n, findings };
  }
}
