import { createReadStream } from 'node:fs';
import { isWardenError } from '../errors.js';
import { createEphemeralPiiCrypto } from './ephemeral-crypto.js';
import { loadPiiConfigFile } from './config-file.js';
import { createPii, type Pii } from './index.js';
import { OPERATOR_NAMES } from './operators/registry.js';
import type { OperatorName } from './operators/types.js';

/**
 * `warden pii scan FILE|-` and `warden pii anonymize FILE|- [--operator NAME]`.
 * scan prints a table (line, column, type, score; never the values) or, with
 * --json, one JSON object per finding. anonymize streams the anonymized text;
 * with --json the input is NDJSON. With the keyring, pseudonymize saves its mapping and
 * prints the restore token on stderr. Exit codes: scan 0 = nothing found,
 * 1 = PII found; 2 = error.
 */
export interface PiiCliArgs {
  cmd: 'scan' | 'anonymize';
  file: string;
  json: boolean;
  operator?: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** The wired capability (with the keyring); defaults to one with ephemeral keys. */
  pii?: Pii;
  /** PII settings file (regions, custom recognizers) for the capability built here when `pii` is not given. */
  configFile?: string | null;
  /** Source for '-' (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
}

/** The output failed: `cause` is its error (EPIPE when the reader stopped reading). */
class OutputClosed extends Error {
  constructor(readonly cause: NodeJS.ErrnoException) {
    super('cannot write the output');
  }
}
const readerGone = (e: unknown) => e instanceof OutputClosed && e.cause.code === 'EPIPE';

export async function runPiiCli(args: PiiCliArgs): Promise<number> {
  try {
    if (args.operator !== undefined && !OPERATOR_NAMES.includes(args.operator as OperatorName)) {
      args.stderr.write(`unknown operator "${args.operator}" (one of: ${OPERATOR_NAMES.join(', ')})\n`);
      return 2;
    }
    if (!args.pii && (args.operator === 'hash' || args.operator === 'encrypt')) {
      args.stderr.write(`note: no keyring wired; ${args.operator} uses a throw-away key for this run\n`);
    }
    if (!args.pii && args.operator === 'pseudonymize') {
      args.stderr.write('note: no keyring wired; the pseudonym mapping is not kept (use --keyring to get a restore token)\n');
    }
    const pii = args.pii ?? createPii({ crypto: createEphemeralPiiCrypto(), config: args.configFile ? loadPiiConfigFile(args.configFile) : {} });
    // waits when the reader is slower than the scan, so memory stays flat for any input size; an output
    // that fails (a reader that stopped: | head, or a full disk) fails the next write instead of the process
    let broken: NodeJS.ErrnoException | null = null;
    const onError = (e: NodeJS.ErrnoException) => (broken ??= e);
    args.stdout.on('error', onError); // kept after the run: an error of output still buffered then must not crash the process
    const write = async (s: string) => {
      if (broken) throw new OutputClosed(broken);
      if (!args.stdout.write(s)) {
        await new Promise<void>((r) => {
          const done = () => {
            args.stdout.off('drain', done);
            args.stdout.off('error', done);
            r();
          };
          args.stdout.once('drain', done);
          args.stdout.once('error', done);
        });
      }
      if (broken) throw new OutputClosed(broken);
    };
    const source = (args.file === '-' ? args.stdin ?? process.stdin : createReadStream(args.file)) as AsyncIterable<Uint8Array | string>;
    const format = args.json && args.cmd === 'anonymize' ? 'ndjson' : 'text';
    if (args.cmd === 'anonymize') {
      const operators = args.operator ? { DEFAULT: args.operator as OperatorName } : undefined;
      // one session for the whole input; with the keyring it is saved, so the output can be restored
      const session = pii.newSession();
      try {
        for await (const line of pii.anonymizeStream(source, { format, operators, session })) await write(line);
      } catch (e) {
        if (!readerGone(e)) throw e; // the reader stopped: what it took may still be restored
      }
      if (args.pii && session.size > 0) {
        const { restoreToken, expiresAt } = await pii.saveSession(session);
        args.stderr.write(`restore token: ${restoreToken} (expires ${expiresAt.toISOString()}; POST /v1/pii/restore)\n`);
      }
      return 0;
    }
    let count = 0;
    try {
      if (!args.json) await write(`${'LINE'.padEnd(8)}${'COL'.padEnd(6)}${'LEN'.padEnd(6)}${'TYPE'.padEnd(18)}SCORE\n`);
      for await (const { line, findings } of pii.scanStream(source, { format })) {
        for (const f of findings) {
          count++;
          await write(
            args.json
              ? JSON.stringify({ line, start: f.start, end: f.end, type: f.type, score: f.score, ...(f.subtype ? { subtype: f.subtype } : {}) }) + '\n'
              : `${String(line).padEnd(8)}${String(f.start + 1).padEnd(6)}${String(f.end - f.start).padEnd(6)}${f.type.padEnd(18)}${f.score.toFixed(2)}\n`,
          );
        }
      }
    } catch (e) {
      if (!readerGone(e)) throw e;
      return count > 0 ? 1 : 0; // the reader stopped: what was found so far still decides
    }
    if (!args.json) args.stderr.write(`${count} finding${count === 1 ? '' : 's'}\n`);
    return count > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof OutputClosed) args.stderr.write(`error: cannot write the output (${e.cause.code ?? e.cause.message})\n`);
    else if (isWardenError(e)) args.stderr.write(`error ${e.code}: ${e.message}\n`);
    else if ((e as NodeJS.ErrnoException).code === 'ENOENT') args.stderr.write(`error: no such file ${args.file}\n`);
    else args.stderr.write(`error: ${(e as Error).message}\n`);
    return 2;
  }
}
