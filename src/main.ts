import { resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { type Config, loadConfig } from './config.js';
import { isWardenError } from './errors.js';
import { createLogger } from './log.js';
import { VERSION } from './version.js';

// Each command loads only what it uses: `warden encrypt-file --password-file` never loads the
// database or the other capabilities (start-up time and memory of a one-shot command).
type Fn<M, K extends keyof M> = M[K] extends (...a: infer A) => infer R ? (...a: A) => Promise<Awaited<R>> : never;
const lazy = <M, K extends keyof M>(load: () => Promise<M>, name: K): Fn<M, K> =>
  (async (...a: unknown[]) => ((await load())[name] as (...x: unknown[]) => unknown)(...a)) as Fn<M, K>;
const createApp = lazy(() => import('./app.js'), 'createApp');
const runAccessTest = lazy(() => import('./access/cli.js'), 'runAccessTest');
const openDatabase = lazy(() => import('./db/index.js'), 'openDatabase');
const runIngestCli = lazy(() => import('./detect/cli.js'), 'runIngestCli');
const runSetupCli = lazy(() => import('./identity/index.js'), 'runSetupCli');
const runFileCli = lazy(() => import('./keys/cli.js'), 'runFileCli');
const runPiiCli = lazy(() => import('./pii/cli.js'), 'runPiiCli');

interface Io { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }

/**
 * The log of a one-shot command: warnings and errors only, on standard error, so that what the
 * command writes to standard output (an anonymized file, NDJSON, a report) is never mixed with log lines.
 */
const commandLog = () => createLogger({ level: 'warn', destination: process.stderr });

/** Opens the configured database and capabilities (no listening) for a one-shot command. */
async function withApp<T>(fn: (app: Awaited<ReturnType<typeof createApp>>) => Promise<T>, adjust: (c: Config) => Config = (c) => c): Promise<T> {
  const app = await createApp(adjust(loadConfig()), { log: commandLog() });
  try { return await fn(app); } finally { await app.close(); }
}

async function serve(io: Io): Promise<number> {
  const app = await createApp(loadConfig());
  const url = await app.start();
  app.log.info({ url, database: app.db.kind }, `Warden ${VERSION} listening on ${url}`);
  // No user yet: a one-time setup token (1 hour) on the terminal only, never in the log.
  const setup = await app.identity.issueSetupToken();
  if (setup) {
    io.stderr.write(`\nNo administrator exists yet. Create one within the hour (until ${setup.expires_at}) with\n` +
      `  POST ${url}/v1/setup {"token": "${setup.token}", "email": "...", "password": "..."}\n` +
      'or run `warden setup --email <email>`.\n\n');
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  app.log.info({}, 'shutting down');
  await app.close();
  io.stdout.write('');
  return 0;
}

export function buildCli(io: Io, setCode: (n: number) => void): Command {
  const program = new Command('warden')
    .description('Warden: self-hosted security and compliance core')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  program.command('serve').description('run the HTTP service (what `npm start` runs)')
    .action(async () => setCode(await serve(io)));

  const audit = program.command('audit').description('the tamper-evident audit log');
  audit.command('verify').description('walk the hash chain and its signed checkpoints; exit 1 when broken')
    .option('--json', 'print the result as JSON')
    .option('--exact', 'read and hash every entry in this process instead of checking the links in the database')
    .action(async (o: { json?: boolean; exact?: boolean }) => {
      const r = await withApp((app) => app.audit.verify({ exact: !!o.exact }));
      if (o.json) io.stdout.write(JSON.stringify(r) + '\n');
      else if (r.ok) io.stdout.write(`audit chain OK: ${r.entries} entries, head ${r.head_seq} ${r.head_hash}, ${r.checkpoints} signed checkpoints\n`);
      else io.stdout.write(`audit chain BROKEN at seq ${r.broken_seq}: ${r.reason} — ${r.detail}\n`);
      setCode(r.ok ? 0 : 1);
    });

  for (const cmd of ['encrypt-file', 'decrypt-file'] as const) {
    program.command(`${cmd} <in> <out>`)
      .description(cmd === 'encrypt-file'
        ? 'encrypt a file of any size (streaming AES-256-GCM) under a keyring key or a password'
        : 'decrypt a file made by encrypt-file; no partial output is left on failure')
      .option('--key <name>', 'keyring key (opens the configured database)')
      .option('--password-file <file>', 'read the password from this file (Argon2id; no database needed)')
      .option('--threads <n>', 'at most N worker threads for a file of 4 MiB or more (default: the CPUs, at most 4)')
      .action(async (input: string, output: string, o: { key?: string; passwordFile?: string; threads?: string }) => {
        const base = { cmd, input, output, key: o.key, passwordFile: o.passwordFile, threads: o.threads, stderr: io.stderr };
        if (o.passwordFile) return setCode(await runFileCli(base));
        setCode(await withApp((app) => runFileCli({ ...base, keys: app.keys })));
      });
  }

  const pii = program.command('pii').description('PII detection and anonymization');
  for (const cmd of ['scan', 'anonymize'] as const) {
    pii.command(`${cmd} <file>`)
      .description(cmd === 'scan'
        ? 'list the PII found in FILE (or - for stdin): a table, or JSON lines with --json; exit 1 when some is found'
        : 'write FILE (or -) with its PII replaced; --json treats the input as NDJSON')
      .option('--json', 'JSON output (scan) / NDJSON input (anonymize)')
      .option('--operator <name>', 'replace | redact | mask | hash | encrypt | pseudonymize | keep')
      .option('--keyring', 'use the configured keyring for hash/encrypt (opens the database)')
      .option('--config <file>', 'PII settings: phone regions and custom recognizers, YAML or JSON (default: WARDEN_PII_CONFIG)')
      .action(async (file: string, o: { json?: boolean; operator?: string; keyring?: boolean; config?: string }) => {
        const fromEnv = process.env.WARDEN_PII_CONFIG?.trim();
        const configFile = o.config !== undefined ? resolve(o.config) : fromEnv ? resolve(fromEnv) : null;
        const args = { cmd, file, json: !!o.json, operator: o.operator, stdout: io.stdout, stderr: io.stderr };
        if (!o.keyring) return setCode(await runPiiCli({ ...args, configFile }));
        setCode(await withApp((app) => runPiiCli({ ...args, pii: app.pii }), (c) => ({ ...c, pii: { ...c.pii, configFile } })));
      });
  }
  program.command('ingest <file>')
    .description('read security events from FILE (or - for stdin) into detection: sshd auth logs, OCSF JSON or NDJSON')
    .requiredOption('--format <format>', 'sshd | ocsf | ndjson')
    .option('--year <n>', 'year of syslog timestamps (default: the file\'s modification year)')
    .option('--url <url>', 'send to a running Warden instead of opening the local database')
    .option('--api-key <key>', 'API key with ingest:events (with --url)')
    .action(async (file: string, o: { format: string; year?: string; url?: string; apiKey?: string }) => {
      const year = o.year === undefined ? undefined : Number(o.year);
      if (year !== undefined && !(Number.isInteger(year) && year >= 1970 && year <= 9999)) {
        io.stderr.write('warden: --year must be a year such as 2025\n');
        return setCode(2);
      }
      setCode(await runIngestCli({
        format: o.format as 'sshd', file, year, url: o.url, apiKey: o.apiKey,
        stdout: io.stdout, stderr: io.stderr,
        open: async () => {
          const app = await createApp(loadConfig(), { log: commandLog() });
          return { detect: app.detect, drain: () => app.events.drain(), close: () => app.close() };
        },
      }));
    });
  program.command('setup').description('create the first administrator (asks for the password, or reads it from a file)')
    .requiredOption('--email <email>', 'the administrator\'s email')
    .option('--name <name>', 'display name')
    .option('--password-file <file>', 'read the password from the first line of this file')
    .action(async (o: { email: string; name?: string; passwordFile?: string }) => {
      const app = await createApp(loadConfig(), { log: commandLog() });
      try {
        setCode(await runSetupCli(app.identity, o, { stdin: process.stdin, stdout: io.stdout, stderr: io.stderr }));
      } finally { await app.close(); }
    });
  const access = program.command('access').description('access control: roles, permissions, policy tests');
  access.command('test <file>').description('check a file of expectations (role, action, resource → allow | deny); exit 1 on any mismatch')
    .option('--database', 'test the configured database\'s roles (custom roles included) instead of the built-in policy')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, o: { database?: boolean; json?: boolean }) => {
      setCode(await runAccessTest({ file, database: o.database, json: o.json }, io.stdout, () => openDatabase(loadConfig())));
    });
  return program;
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let code = 0;
  const program = buildCli(io, (n) => { code = n; });
  if (argv.length === 0) argv = ['--help'];
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    // 2 for every error (a bad argument, an unknown option, a refused input, a locked data folder):
    // 1 is what some commands answer on success ('pii scan' found PII, 'audit verify' found the chain broken)
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (isWardenError(e)) {
      io.stderr.write(`warden: ${e.message} (${e.code})\n`);
      return 2;
    }
    io.stderr.write(`warden: ${(e as Error).message}\n`);
    return 2;
  }
}
