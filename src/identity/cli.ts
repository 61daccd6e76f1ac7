import { readFileSync } from 'node:fs';
import type { Identity } from './index.js';

/** Reads one line from the terminal without echoing it (or from piped stdin). */
export async function readSecretLine(prompt: string, io: { stdin: NodeJS.ReadStream; stderr: NodeJS.WritableStream }): Promise<string> {
  const { stdin } = io;
  io.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let buf = '';
    const tty = stdin.isTTY;
    if (tty) stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    const done = (v: string | Error) => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      if (tty) stdin.setRawMode(false);
      stdin.pause();
      io.stderr.write('\n');
      if (v instanceof Error) reject(v); else resolve(v);
    };
    const onEnd = () => done(buf);
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\n' || ch === '\r' || ch === '\u0004') return done(buf);
        if (ch === '\u0003') return done(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') buf = buf.slice(0, -1);
        else buf += ch;
      }
    };
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.resume();
  });
}

/**
 * `warden setup --email E [--password-file F]`: creates the first administrator. The password
 * is read from the file (first line) or asked for twice on the terminal; it is never an argument.
 */
export async function runSetupCli(identity: Identity, opts: { email: string; name?: string; passwordFile?: string },
  io: { stdin: NodeJS.ReadStream; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  if (!(await identity.bootstrapOpen())) {
    io.stderr.write('warden: setup is closed: an administrator already exists\n');
    return 1;
  }
  let password: string;
  if (opts.passwordFile) {
    password = readFileSync(opts.passwordFile, 'utf8').split(/\r?\n/)[0] ?? '';
  } else {
    password = await readSecretLine('Password for the administrator: ', io);
    if (io.stdin.isTTY) {
      const again = await readSecretLine('Again: ', io);
      if (again !== password) {
        io.stderr.write('warden: the passwords differ\n');
        return 1;
      }
    }
  }
  const u = await identity.createFirstAdmin({ email: opts.email, password, name: opts.name }, { type: 'system', id: 'cli' });
  io.stdout.write(`administrator ${u.email} created (${u.id}); sign in at POST /v1/auth/login\n`);
  return 0;
}
