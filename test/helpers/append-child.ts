/**
 * Child process for the crash test: appends audit entries one transaction at a time and
 * prints "ack <seq>" after each commit, until killed.
 */
import { createAudit } from '../../src/audit/index.js';
import { systemClock } from '../../src/clock.js';
import { openDatabase } from '../../src/db/index.js';
import { testSigner } from './signer.js';

const db = await openDatabase({ databaseUrl: process.env.WARDEN_DATABASE_URL || null, dataDir: process.env.WARDEN_DATA_DIR! });
const audit = createAudit({ db, signer: testSigner('crash:1', process.env.SIGNER_PEM), clock: systemClock,
  config: { checkpointEvery: 25, checkpointSeconds: 3600, retentionDays: 400 } });
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  const [seq] = await audit.record({ actor: { type: 'system' }, action: 'crash.test', outcome: 'success', details: { i } });
  process.stdout.write(`ack ${seq}\n`);
}
