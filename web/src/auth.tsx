import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { acceptTokens, api, ApiError, CSRF_HEADER, onSessionLost, refresh, setAccessToken, type TokenResponse } from './api';

export interface Me {
  id: string;
  email?: string;
  name?: string | null;
  roles: string[];
  permissions?: string[];
  mfa_enabled?: boolean;
  mfa_enrollment_required?: boolean;
  [k: string]: unknown;
}

export type Phase = 'loading' | 'signed-out' | 'mfa' | 'enroll' | 'ready';

interface AuthState {
  phase: Phase;
  me: Me | null;
  mfaToken: string | null;
  /** Authentication methods of the current access token (pwd, otp …). */
  amr: string[];
  login(email: string, password: string): Promise<void>;
  verifyMfa(input: { code?: string; backup_code?: string }): Promise<void>;
  signInWithKey(key: string): Promise<void>;
  enrolled(): Promise<void>;
  logout(): Promise<void>;
  reload(): Promise<void>;
  can(permission: string): boolean;
}

const Ctx = createContext<AuthState | null>(null);

/** Reads (does not verify: the server does) the claims of a JWT access token. */
function claims(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  if (!part) return {};
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
    return JSON.parse(json) as Record<string, unknown>;
  } catch { return {}; }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [phase, setPhase] = useState<Phase>('loading');
  const [me, setMe] = useState<Me | null>(null);
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const [amr, setAmr] = useState<string[]>([]);

  const signedOut = useCallback(() => { setAccessToken(null); setMe(null); setMfaToken(null); setPhase('signed-out'); }, []);

  const loadMe = useCallback(async (enrollOnly: boolean) => {
    let m: Me;
    try {
      m = await api<Me>('/v1/me');
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) m = { id: 'unknown', roles: [] }; // identity routes absent: API key / bootstrap
      else throw e;
    }
    setMe(m);
    setPhase(enrollOnly || m.mfa_enrollment_required ? 'enroll' : 'ready');
  }, []);

  const takeTokens = useCallback(async (t: TokenResponse) => {
    acceptTokens(t);
    const c = claims(t.access_token);
    setAmr(Array.isArray(c.amr) ? (c.amr as string[]) : []);
    await loadMe(Boolean(t.mfa_enrollment_required || c.mfa_enrollment_required || c.mfa_enrollment_only));
  }, [loadMe]);

  useEffect(() => {
    onSessionLost(signedOut);
    // A reload loses the in-memory token: the refresh cookie gets a new one, if there is a session.
    void (async () => {
      if (await refresh()) {
        try { await loadMe(false); return; } catch { /* fall through */ }
      }
      setPhase('signed-out');
    })();
  }, [loadMe, signedOut]);

  const value = useMemo<AuthState>(() => ({
    phase, me, mfaToken, amr,
    async login(email, password) {
      const r = await api<TokenResponse & { mfa_required?: boolean; mfa_token?: string }>('/v1/auth/login', { body: { email, password }, anonymous: true });
      if (r.mfa_required && r.mfa_token) { setMfaToken(r.mfa_token); setPhase('mfa'); return; }
      await takeTokens(r);
      if (r.mfa_enrollment_required) setPhase('enroll');
    },
    async verifyMfa(input) {
      const r = await api<TokenResponse>('/v1/auth/mfa/verify', { body: { mfa_token: mfaToken, ...input }, anonymous: true });
      setMfaToken(null);
      await takeTokens(r);
    },
    async signInWithKey(key) {
      setAccessToken(key);
      try { await loadMe(false); } catch (e) { setAccessToken(null); throw e; }
      setAmr([]);
    },
    async enrolled() {
      // After enrollment the token is still enrollment-only: sign in again through refresh, or ask to.
      if (await refresh()) { await loadMe(false); return; }
      signedOut();
    },
    async logout() {
      try { await api('/v1/auth/logout', { body: {}, csrf: true }); } catch { /* signed out locally regardless */ }
      signedOut();
    },
    async reload() { await loadMe(phase === 'enroll'); },
    can(permission) {
      if (!me) return false;
      if (me.roles.includes('admin')) return true;
      if (me.permissions) return me.permissions.includes(permission);
      return false;
    },
  }), [phase, me, mfaToken, amr, takeTokens, loadMe, signedOut]);

  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): AuthState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

export { CSRF_HEADER };
