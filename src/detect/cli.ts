import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { isWardenError } from '../errors.js';
import type { Detect } from './index.js';
import { normalizeExternal } from './parsers/external.js';
import { createSshdParser } from './parsers/sshd.js';
import type { SecurityEvent } from './types.js';

export interface IngestCliOptions {
  format: 'sshd' | 'ocsf' | 'ndjson';
  /** A path, or '-' for standard input. */
  file: string;
  /** Year for syslog timestamps (default: the file's modification year; the current year for stdin). */
  year?: number;
  /** Send to a running Warden instead of the local database. */
  url?: string;
  apiKey?: string;
  /** The local detect capability (when no url) and a function that runs the outbox until empty. */
  detect?: Pick<Detect, 'ingestEvents' | 'stats'>;
  drain?: () => Promise<void>;
  /** Alternatively, opens the local database lazily (so a lock held by a running server is reported clearly). */
  open?: () => Promise<{ detect: Pick<Detect, 'ingestEvents' | 'stats'>; drain: () => Promise<void>; close: () => Promise<void> }>;
  stdin?: Readable;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  now?: () => Date;
}

const CHUNK = 5000;

/** `warden ingest --format sshd|ocsf|ndjson FILE|-`: parses, stores or sends, prints a summary. Returns the exit code. */
export async function runIngestCli(o: IngestCliOptions): Promise<number> {
  const say = (s: string) => o.stdout.write(s + '\n');
  const err = (s: string) => o.stderr.write(s + '\n');
  if (!['sshd', 'ocsf', 'ndjson'].includes(o.format)) { err(`unknown format "${o.format}" (sshd, ocsf or ndjson)`); return 2; }
  if (o.url && !o.apiKey) { err('--url needs --api-key (a key with the ingest:events permission)'); return 2; }
  let year = o.year;
  try {
    if (o.file !== '-') year ??= statSync(o.file).mtime.getUTCFullYear();
  } catch (e) { err(`cannot read ${o.file}: ${(e as Error).message}`); return 1; }
  year ??= (o.now?.() ?? new Date()).getUTCFullYear();

  type Target = { detect: Pick<Detect, 'ingestEvents' | 'stats'>; drain: () => Promise<void>; close: () => Promise<void> };
  let target: Target | null = o.url ? null : o.detect ? { detect: o.detect, drain: o.drain ?? (async () => undefined), close: async () => undefined } : null;
  if (!o.url && !target) {
    if (!o.open) { err('no database configured and no --url given'); return 2; }
    try { target = await o.open(); } catch (e) {
      if (isWardenError(e) && e.code === 'DATA_DIR_LOCKED') {
        err('The embedded data folder is held by a running Warden server. Stop it, or send to it: warden ingest --url URL --api-key KEY …');
        return 1;
      }
      throw e;
    }
  }
  let input: Readable;
  try {
    input = o.file === '-' ? o.stdin ?? process.stdin : createReadStream(o.file, { encoding: 'utf8' });
  } catch (e) {
    if (target && !o.detect) await target.close().catch(() => undefined);
    err(`cannot read ${o.file}: ${(e as Error).message}`);
    return 1;
  }
  const opened0 = target?.detect.stats().opened ?? 0;
  const sshd = createSshdParser({ year });
  const now = o.now?.() ?? new Date();
  const summary = { lines: 0, events: 0, skipped: 0, alerts: 0 as number | null };
  let batch: SecurityEvent[] = [];

  async function flush(): Promise<void> {
    if (batch.length === 0) return;
    const chunk = batch; batch = [];
    if (target) await target.detect.ingestEvents(chunk);
    else await send(o.url!, o.apiKey!, chunk);
  }

  try {
    const rl = createInterface({ input, crlfDelay: Infinity });
    for await (const line of rl) {
      summary.lines++;
      if (!line.trim()) { summary.skipped++; continue; }
      const events = o.format === 'sshd' ? sshd.parseLine(line) : parseJsonLine(line, now);
      if (!events) { summary.skipped++; continue; }
      summary.events += events.length;
      batch.push(...events);
      if (batch.length >= CHUNK) await flush();
    }
    await flush();
    if (target) {
      await target.drain();
      summary.alerts = target.detect.stats().opened - opened0;
    } else summary.alerts = null;
  } catch (e) {
    err(`ingest failed: ${(e as Error).message}`);
    return 1;
  } finally {
    if (target && !o.detect) await target.close().catch(() => undefined);
  }
  say(`lines read: ${summary.lines}, events: ${summary.events}, skipped lines: ${summary.skipped}, alerts raised: ${summary.alerts ?? 'n/a (evaluated by the server)'}`);
  return 0;
}

/** One OCSF/NDJSON line: an object, or a JSON array of objects (an OCSF file written as one array per line). */
function parseJsonLine(line: string, now: Date): SecurityEvent[] | null {
  let v: unknown;
  try { v = JSON.parse(line); } catch { return null; }
  const items = Array.isArray(v) ? v : [v];
  const out: SecurityEvent[] = [];
  for (const x of items) {
    const r = normalizeExternal(x, 'cli', now);
    if (!r.ok) return null;
    out.push(r.event);
  }
  return out;
}

async function send(url: string, apiKey: string, events: SecurityEvent[]): Promise<void> {
  const res = await fetch(`${url.replace(/\/+$/, '')}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${apiKey}` },
    body: events.map((e) => JSON.stringify(e)).join('\n'),
    signal: AbortSignal.timeout(60_000),
  });
  if (res.status !== 202) {
    const body = await res.text().catch(() => '');
    let detail = body.slice(0, 300);
    try { detail = (JSON.parse(body) as { detail?: string }).detail ?? detail; } catch { /* not JSON */ }
    throw new Error(`server answered ${res.status}: ${detail}`);
  }
}
