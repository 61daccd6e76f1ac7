import { WardenError } from '../errors.js';

/** MFA settings (WARDEN_MFA_ISSUER: the name authenticator apps show, default "Warden"). */
export interface MfaConfig {
  issuer: string;
  /** Codes accepted either side of the current 30-second step. */
  window: number;
  backupCodeCount: number;
}

export function mfaConfigFromEnv(env: Record<string, string | undefined> = process.env): MfaConfig {
  const issuer = env.WARDEN_MFA_ISSUER?.trim() || 'Warden';
  if (issuer.length > 64 || issuer.includes(':')) {
    throw new WardenError('CONFIG_INVALID', 'WARDEN_MFA_ISSUER must be at most 64 characters, without ":"', 500, { variable: 'WARDEN_MFA_ISSUER' });
  }
  return { issuer, window: 1, backupCodeCount: 10 };
}
