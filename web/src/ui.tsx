import { type DependencyList, type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from './api';

/** Shows the server's problem details (its `detail`), never a blank page. */
export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null;
  const p = error instanceof ApiError ? error.problem : null;
  const detail = p ? (p.detail || p.title || `HTTP ${p.status}`) : error instanceof Error ? error.message : String(error);
  return (
    <div className="alert alert-error" role="alert">
      <strong>{p?.title ?? 'Something went wrong'}{p?.status ? ` (${p.status})` : ''}</strong>
      <p>{detail}</p>
      {p?.request_id && <p className="muted small">Request id: <code>{p.request_id}</code>{p.code ? <> · code <code>{p.code}</code></> : null}</p>}
      {onRetry && <button type="button" className="btn" onClick={onRetry}>Try again</button>}
    </div>
  );
}

export function Notice({ children, kind = 'info' }: { children: ReactNode; kind?: 'info' | 'success' | 'warn' }) {
  return <div className={`alert alert-${kind}`} role="status">{children}</div>;
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return <p className="loading" role="status" aria-live="polite">{label}</p>;
}

export interface Async<T> { data: T | null; error: unknown; loading: boolean; reload: () => void; setData: (d: T) => void }

/** Runs fn on mount and whenever deps change; exposes data, error and reload. */
export function useAsync<T>(fn: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Async<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    const ctl = new AbortController();
    setLoading(true);
    setError(null);
    fnRef.current(ctl.signal).then((d) => { if (!ctl.signal.aborted) { setData(d); setLoading(false); } },
      (e) => { if (!ctl.signal.aborted) { setError(e); setLoading(false); } });
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload, setData };
}

/** A button that runs an async action, shows progress, and reports the server's refusal. */
export function useAction<A extends unknown[]>(fn: (...a: A) => Promise<unknown>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (...a: A) => {
    setBusy(true); setError(null);
    try { await fn(...a); return true; } catch (e) { setError(e); return false; } finally { setBusy(false); }
  }, [fn]);
  return { run, busy, error, clear: () => setError(null) };
}

export function Field({ label, hint, children }: { label: string; hint?: string; children: (id: string, describedBy?: string) => ReactNode }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id, hintId)}
      {hint && <small id={hintId} className="muted">{hint}</small>}
    </div>
  );
}

const SEV_ORDER = ['info', 'low', 'medium', 'high', 'critical'];
export function SeverityBadge({ severity }: { severity: string }) {
  const s = SEV_ORDER.includes(severity) ? severity : 'info';
  return <span className={`badge sev-${s}`}>{severity}</span>;
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status}`}>{status}</span>;
}

export function ClassBadge({ classification }: { classification: string }) {
  return <span className={`badge cls-${classification}`} title={`Classification: ${classification}`}>{classification}</span>;
}

export function Time({ value }: { value: string | null | undefined }) {
  if (!value) return <span className="muted">—</span>;
  const d = new Date(value);
  return <time dateTime={d.toISOString()} title={d.toISOString()}>{d.toLocaleString()}</time>;
}

export function ago(value: string | null | undefined): string {
  if (!value) return '—';
  const s = Math.round((Date.now() - new Date(value).getTime()) / 1000);
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  useEffect(() => { document.title = `${title} · Warden`; }, [title]);
  return (
    <header className="page-header">
      <h1 tabIndex={-1} id="page-title">{title}</h1>
      {children && <div className="page-actions">{children}</div>}
    </header>
  );
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  return (
    <button type="button" className="btn" onClick={async () => {
      try { await navigator.clipboard.writeText(text); setDone(true); setTimeout(() => setDone(false), 2000); } catch { setDone(false); }
    }}>{done ? 'Copied' : label}</button>
  );
}

export function Json({ value }: { value: unknown }) {
  return <pre className="json">{JSON.stringify(value, null, 2)}</pre>;
}
