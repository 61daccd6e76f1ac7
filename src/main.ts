import { Command, CommanderError } from 'commander';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { isWardenError } from './errors.js';
import { VERSION } from './version.js';

interface Io { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }

/** Opens the configured database and capabilities (no listening) for a one-shot command. */
async function withApp<T>(fn: (app: Awaited<ReturnType<typeof createApp>>) => Promise<T>): Promise<T> {
  const app = await createApp(loadConfig(), { log: undefined });
  try { return await fn(app); } finally { await app.close(); }
}

async function serve(io: Io): Promise<number> {
  const app = await createApp(loadConfig());
  const url = await app.start();
  app.log.info({ url, database: app.db.kind }, `Warden ${VERSION} listening on ${url}`);
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
    .action(async (o: { json?: boolean }) => {
      const r = await withApp((app) => app.audit.verify());
      if (o.json) io.stdout.write(JSON.stringify(r) + '\n');
      else if (r.ok) io.stdout.write(`audit chain OK: ${r.entries} entries, head ${r.head_seq} ${r.head_hash}, ${r.checkpoints} signed checkpoints\n`);
      else io.stdout.write(`audit chain BROKEN at seq ${r.broken_seq}: ${r.reason} — ${r.detail}\n`);
      setCode(r.ok ? 0 : 1);
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
    if (e instanceof CommanderError) return e.exitCode;
    if (isWardenError(e)) {
      io.stderr.write(`warden: ${e.message} (${e.code})\n`);
      return 1;
    }
    io.stderr.write(`warden: ${(e as Error).message}\n`);
    return 1;
  }
}
