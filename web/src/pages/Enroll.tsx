import { type FormEvent, useEffect, useState } from 'react';
import { api, saveBlob } from '../api';
import { useAuth } from '../auth';
import { CopyButton, ErrorBox, Field, Loading, Notice } from '../ui';

interface Totp { secret: string; otpauth_uri: string; qr_code: string }

/** Sets up a TOTP authenticator: QR code, confirmation code, then the backup codes shown once. */
export function EnrollTotp({ onDone, intro }: { onDone: () => void; intro?: string }) {
  const [totp, setTotp] = useState<Totp | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  async function start() {
    setBusy(true); setError(null);
    try { setTotp(await api<Totp>('/v1/me/mfa/totp', { body: {} })); } catch (e) { setError(e); } finally { setBusy(false); }
  }
  async function confirm(e: FormEvent) {
    e.preventDefault();
    setBusy(true); setError(null);
    try {
      const r = await api<{ backup_codes: string[] }>('/v1/me/mfa/totp/confirm', { body: { code: code.replace(/\s/g, '') } });
      setCodes(r.backup_codes ?? []);
    } catch (err) { setError(err); } finally { setBusy(false); }
  }

  if (codes) {
    const text = codes.join('\n');
    return (
      <section aria-labelledby="backup-title">
        <h2 id="backup-title">Your backup codes</h2>
        <Notice kind="warn">These codes are shown <strong>once</strong>. Each one signs you in a single time if you lose your authenticator. Store them somewhere safe.</Notice>
        <ul className="backup-codes" aria-label="Backup codes">{codes.map((c) => <li key={c}><code>{c}</code></li>)}</ul>
        <div className="row">
          <CopyButton text={text} label="Copy codes" />
          <button type="button" className="btn" onClick={() => saveBlob(new Blob([`Warden backup codes\n\n${text}\n`], { type: 'text/plain' }), 'warden-backup-codes.txt')}>Download</button>
        </div>
        <label className="check"><input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} /> I have saved these codes</label>
        <button type="button" className="btn btn-primary" disabled={!saved} onClick={onDone}>Continue</button>
      </section>
    );
  }
  return (
    <section aria-labelledby="enroll-title">
      <h2 id="enroll-title">Set up two-factor authentication</h2>
      {intro && <p>{intro}</p>}
      <ErrorBox error={error} />
      {!totp ? (
        busy ? <Loading /> : <button type="button" className="btn btn-primary" onClick={start}>Set up an authenticator app</button>
      ) : (
        <form onSubmit={confirm} aria-label="Confirm authenticator">
          <p>Scan this QR code with your authenticator app (or enter the key by hand), then type the 6-digit code it shows.</p>
          <img className="qr" src={totp.qr_code} alt="QR code for your authenticator app" width={200} height={200} />
          <p className="small">Key: <code data-testid="totp-secret">{totp.secret}</code> <CopyButton text={totp.secret} label="Copy key" /></p>
          <Field label="Code from your app">{(id) => <input id={id} inputMode="numeric" autoComplete="one-time-code" maxLength={8} required value={code} onChange={(e) => setCode(e.target.value)} />}</Field>
          <button className="btn btn-primary" type="submit" disabled={busy}>{busy ? 'Checking…' : 'Confirm'}</button>
        </form>
      )}
    </section>
  );
}

/** First sign-in of a role that requires MFA: the token may only enroll. */
export default function Enroll() {
  const auth = useAuth();
  useEffect(() => { document.title = 'Set up MFA · Warden'; }, []);
  return (
    <main className="login" id="main">
      <div className="login-card wide">
        <h1><span aria-hidden="true">◆</span> Warden</h1>
        <EnrollTotp intro="Your role requires a second factor. Set it up now to continue." onDone={() => void auth.enrolled()} />
        <button type="button" className="btn btn-link" onClick={() => void auth.logout()}>Sign out</button>
      </div>
    </main>
  );
}
