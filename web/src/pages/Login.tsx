import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useAuth } from '../auth';
import { ErrorBox, Field, Notice } from '../ui';

/** Sign in: email and password, then the TOTP or backup-code step when the account has MFA. */
export function Login() {
  const auth = useAuth();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [backup, setBackup] = useState(false);
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  useEffect(() => { document.title = 'Sign in · Warden'; }, []);
  useEffect(() => { if (auth.phase === 'mfa') codeRef.current?.focus(); }, [auth.phase, backup]);

  async function run(e: FormEvent, fn: () => Promise<void>) {
    e.preventDefault();
    setBusy(true); setError(null);
    try { await fn(); } catch (err) { setError(err); } finally { setBusy(false); }
  }

  return (
    <main className="login" id="main">
      <div className="login-card">
        <h1><span aria-hidden="true">◆</span> Warden</h1>
        {auth.phase !== 'mfa' ? (
          <>
            <form onSubmit={(e) => run(e, () => auth.login(email.trim(), password))} aria-label="Sign in">
              <h2>Sign in</h2>
              {auth.notice && <Notice kind="success">{auth.notice}</Notice>}
              <ErrorBox error={error} />
              <Field label="Email">{(id) => <input id={id} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />}</Field>
              <Field label="Password">{(id) => <input id={id} type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}</Field>
              <button className="btn btn-primary" type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
            </form>
            <details className="apikey">
              <summary>Use an API key instead</summary>
              <form onSubmit={(e) => run(e, () => auth.signInWithKey(key.trim()))} aria-label="Sign in with an API key">
                <Field label="API key" hint="Kept in this tab's memory only; closing the tab forgets it.">
                  {(id, d) => <input id={id} type="password" autoComplete="off" required value={key} aria-describedby={d} onChange={(e) => setKey(e.target.value)} />}
                </Field>
                <button className="btn" type="submit" disabled={busy}>Use key</button>
              </form>
            </details>
          </>
        ) : (
          <form onSubmit={(e) => run(e, () => auth.verifyMfa(backup ? { backup_code: code.trim() } : { code: code.replace(/\s/g, '') }))} aria-label="Two-factor verification">
            <h2>Two-factor verification</h2>
            <ErrorBox error={error} />
            <Field label={backup ? 'Backup code' : 'Authentication code'} hint={backup ? 'One of the backup codes you saved; each works once.' : 'The 6-digit code from your authenticator app.'}>
              {(id, d) => backup
                ? <input id={id} ref={codeRef} autoComplete="off" required value={code} aria-describedby={d} onChange={(e) => setCode(e.target.value)} />
                : <input id={id} ref={codeRef} inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]{6,8}" maxLength={8} required value={code} aria-describedby={d} onChange={(e) => setCode(e.target.value)} />}
            </Field>
            <button className="btn btn-primary" type="submit" disabled={busy}>{busy ? 'Verifying…' : 'Verify'}</button>
            <button type="button" className="btn btn-link" onClick={() => { setBackup(!backup); setCode(''); setError(null); }}>
              {backup ? 'Use an authenticator code' : 'Use a backup code instead'}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
