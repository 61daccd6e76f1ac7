import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { permissionsFromRoles } from './permissions';
import { acceptTokens, api, ApiError, CSRF_HEADER, onSessionLost, refresh, setAccessToken, type TokenResponse } from './api';

export interface Me {
  id: string;
  email?: string;
  name?: string | null;
  roles: string[];
  permissions?: string[];
  mfa_enabled?: boolean;
  mfa_enrollment_required?: boolean;
  mfa_enrollment_only?: boolean;
  mfa_required?: boolean;
  amr?: string[];
  session_id?: string;
  principal_type?: string;
  status?: string;
  [k: string]: unknown;
}

export type Phase = 'loading' | 'signed-out' | 'mfa' | 'enroll' | 'ready';

interface AuthState {
  phase: Phase;
  me: Me | null;
  mfaToken: string | null;
  /** Authentication methods of the current access token (pwd, otp …). */
  amr: string[];
  /** A message for the sign-in page (e.g. after enrollment). */
  notice: string | null;
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
  const [notice, setNotice] = useState<string | null>(null);

  const signedOut = useCallback(() => { setAccessToken(null); setMe(null); setMfaToken(null); setPhase('signed-out'); }, []);

  const loadMe = useCallback(async (enrollOnly: boolean) => {
    let m: Me;
    try {
      m = await api<Me>('/v1/me');
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) m = { id: 'unknown', roles: [] }; // identity routes absent: API key / bootstrap
      else throw e;
    }
    if (!m.permissions) {
      // Effective permissions from the access capability when it offers them; else from built-in roles.
      try {
        const r = await api<{ effective_permissions?: string[] }>('/v1/access/explain', { body: { action: 'read:audit' } });
        if (Array.isArray(r.effective_permissions)) m = { ...m, permissions: r.effective_permissions };
      } catch { /* not offered (enrollment-only token, or no access routes) */ }
    }
    setMe(m);
    if (Array.isArray(m.amr)) setAmr(m.amr);
    const enroll = enrollOnly || Boolean(m.mfa_enrollment_required || m.mfa_enrollment_only);
    setPhase(enroll ? 'enroll' : 'ready');
    return enroll;
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
    phase, me, mfaToken, amr, notice,
    async login(email, password) {
      setNotice(null);
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
      // The enrollment-only token cannot do more: a refreshed one may; otherwise sign in again with the new code.
      if (await refresh() && !(await loadMe(false))) return;
      try { await api('/v1/auth/logout', { body: {}, csrf: true }); } catch { /* local sign-out regardless */ }
      signedOut();
      setNotice('Two-factor authentication is set up. Sign in again with a code from your app.');
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
      return permissionsFromRoles(me.roles).has(permission);
    },
  }), [phase, me, mfaToken, amr, notice, takeTokens, loadMe, signedOut]);

  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): AuthState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

export { CSRF_HEADER };
