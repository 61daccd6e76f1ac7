import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { WardenError } from '../errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data folder's lock file so two processes never open the embedded database
 * at once. Returns the release function. A lock left by a dead process is taken over.
 */
export function lockDataDir(dir: string): () => void {
  const path = join(dir, 'warden.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(path, 'utf8') === String(process.pid)) unlinkSync(path);
        } catch { /* already gone */ }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (pid && pid !== process.pid && alive(pid)) {
        throw new WardenError('DATA_DIR_LOCKED',
          `The data folder ${dir} is in use by another Warden process (pid ${pid}). ` +
          'Stop it first, or point WARDEN_DATA_DIR elsewhere; the embedded database allows one process at a time ' +
          '(use WARDEN_DATABASE_URL with a PostgreSQL server to run several).', 409, { pid });
      }
      try { unlinkSync(path); } catch { /* raced with another taker */ }
    }
  }
  throw new WardenError('DATA_DIR_LOCKED', `Could not take the lock on ${dir}`, 409);
}
