import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isWardenError } from '../errors.js';
import { keyError } from './errors.js';
import { decryptFile, encryptFile, type FileKeyring, type FileSecret } from './file.js';

export interface FileCliArgs {
  cmd: 'encrypt-file' | 'decrypt-file';
  input: string;
  output: string;
  /** Keyring key name (needs `keys`). On decrypt optional: the file names its key. */
  key?: string;
  /** File holding the password (one trailing newline is ignored). Works without a database. */
  passwordFile?: string;
  keys?: FileKeyring;
  /** `--threads N`: at most N worker threads for a large regular file (default: the CPUs, at most 4). */
  threads?: string;
  stderr: { write(s: string): unknown };
}

const CLI_ACTOR = { type: 'system' as const, id: 'cli' };

/** Reads a password file; strips one trailing newline; refuses an empty password. */
export async function readPasswordFile(path: string): Promise<Buffer> {
  let raw: Buffer;
  try { raw = await readFile(path); } catch (e) {
    throw keyError('PASSWORD_INVALID', `cannot read the password file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, {}, e);
  }
  let end = raw.length;
  if (end > 0 && raw[end - 1] === 0x0a) end--;
  if (end > 0 && raw[end - 1] === 0x0d) end--;
  if (end === 0) throw keyError('PASSWORD_INVALID', `the password file ${path} is empty`);
  return raw.subarray(0, end);
}

/**
 * `warden encrypt-file IN OUT (--key NAME | --password-file F)` and `warden decrypt-file IN OUT …`.
 * Returns the exit code: 0 done, 1 failed (nothing written), 2 usage error.
 */
export async function runFileCli(args: FileCliArgs): Promise<number> {
  const { cmd, input, output, key, passwordFile, keys, stderr } = args;
  const usage = (m: string) => { stderr.write(`warden ${cmd}: ${m}\nusage: warden ${cmd} IN OUT (--key NAME | --password-file FILE) [--threads N]\n`); return 2; };
  const threads = args.threads === undefined ? undefined : Number(args.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 64)) return usage('--threads must be a whole number from 1 to 64');
  if (!input || !output) return usage('IN and OUT are required');
  if (key && passwordFile) return usage('give either --key or --password-file, not both');
  if (cmd === 'encrypt-file' && !key && !passwordFile) return usage('give --key NAME or --password-file FILE');
  if (cmd === 'decrypt-file' && !key && !passwordFile && !keys) return usage('give --key NAME or --password-file FILE');
  if (resolve(input) === resolve(output)) return usage('IN and OUT must be different files');
  try {
    const st = await stat(input).catch((e: NodeJS.ErrnoException) => { throw keyError('FILE_IO_FAILED', `cannot read ${input}: ${e.code ?? 'error'}`); });
    if (!st.isFile()) throw keyError('FILE_IO_FAILED', `${input} is not a regular file`);
    let secret: FileSecret;
    if (passwordFile) {
      secret = { kind: 'password', password: await readPasswordFile(passwordFile) };
    } else {
      if (!keys) throw keyError('FILE_IO_FAILED', 'the keyring is not available (no database); use --password-file');
      secret = { kind: 'key', keys, name: key, actor: CLI_ACTOR };
    }
    if (cmd === 'encrypt-file') await encryptFile(input, output, secret, { threads });
    else await decryptFile(input, output, secret, { threads });
    if (secret.kind === 'password') secret.password.fill(0);
    return 0;
  } catch (e) {
    const msg = isWardenError(e) ? `${e.message} (${e.code})`
      : (e as NodeJS.ErrnoException).code ? `${(e as Error).message}` : 'unexpected error';
    stderr.write(`warden ${cmd}: ${cmd === 'decrypt-file' ? 'decryption failed' : 'encryption failed'}: ${msg}; no output was written\n`);
    return 1;
  }
}
