import { type ReactNode, useState } from 'react';
import { api } from '../api';
import { useAuth } from '../auth';
import { CopyButton, ErrorBox, Field, Notice, PageHeader, useAction } from '../ui';

interface Finding { type: string; start: number; end: number; score: number; subtype?: string; path?: string; value?: string }
interface Anon { text?: string; json?: unknown; items: Array<{ type: string; start: number; end: number; operator: string; path?: string }>; restore_token?: string; expires_at?: string }
const OPERATORS = ['replace', 'redact', 'mask', 'hash', 'encrypt', 'pseudonymize', 'keep'] as const;
const SAMPLE = 'Hi, I am Maria García (maria.garcia@example.com, +1 415 555 0134). My card is 4111 1111 1111 1111 and I logged in from 203.0.113.7.';

/** Shows the text with each finding marked: type and score on hover and for screen readers. */
function Highlighted({ text, findings }: { text: string; findings: Finding[] }) {
  const parts: ReactNode[] = [];
  let at = 0;
  [...findings].sort((a, b) => a.start - b.start).forEach((f, i) => {
    if (f.start < at) return;
    if (f.start > at) parts.push(text.slice(at, f.start));
    parts.push(<mark key={i} className={`pii pii-${f.type.toLowerCase()}`} title={`${f.type} (score ${f.score.toFixed(2)})`}>
      {text.slice(f.start, f.end)}<span className="pii-tag">{f.type} {f.score.toFixed(2)}</span></mark>);
    at = f.end;
  });
  parts.push(text.slice(at));
  return <div className="highlighted" aria-label="Text with detected entities marked">{parts}</div>;
}

/** PII playground: scan, anonymize with chosen operators, restore. Nothing here is stored but the restore vault's entries. */
export default function Pii() {
  const auth = useAuth();
  const [mode, setMode] = useState<'text' | 'json'>('text');
  const [input, setInput] = useState(SAMPLE);
  const [findings, setFindings] = useState<Finding[] | null>(null);
  const [scanned, setScanned] = useState('');
  const [defaultOp, setDefaultOp] = useState<string>('replace');
  const [ops, setOps] = useState<Record<string, string>>({});
  const [anon, setAnon] = useState<Anon | null>(null);
  const [restored, setRestored] = useState<string | null>(null);
  const [parseError, setParseError] = useState<string | null>(null);

  function body(): Record<string, unknown> | null {
    if (mode === 'text') return { text: input };
    try { setParseError(null); return { json: JSON.parse(input) }; } catch (e) { setParseError(`The input is not valid JSON: ${(e as Error).message}`); return null; }
  }
  const scan = useAction(async () => {
    const b = body(); if (!b) return;
    const r = await api<{ entities: Finding[] }>('/v1/pii/scan', { body: b });
    setFindings(r.entities); setScanned(input); setAnon(null); setRestored(null);
  });
  const anonymize = useAction(async () => {
    const b = body(); if (!b) return;
    const operators: Record<string, string> = { DEFAULT: defaultOp, ...ops };
    setAnon(await api<Anon>('/v1/pii/anonymize', { body: { ...b, operators } })); setRestored(null);
  });
  const restore = useAction(async () => {
    if (!anon?.restore_token) return;
    const b = anon.text !== undefined ? { text: anon.text } : { json: anon.json };
    const r = await api<{ text?: string; json?: unknown; restored: number }>('/v1/pii/restore', { body: { ...b, restore_token: anon.restore_token } });
    setRestored(r.text ?? JSON.stringify(r.json, null, 2));
  });
  const types = [...new Set((findings ?? []).map((f) => f.type))].sort();
  const output = anon ? (anon.text ?? JSON.stringify(anon.json, null, 2)) : '';

  return (
    <>
      <PageHeader title="PII playground" />
      <div className="segmented" role="group" aria-label="Input kind">
        <button type="button" className="btn" aria-pressed={mode === 'text'} onClick={() => setMode('text')}>Text</button>
        <button type="button" className="btn" aria-pressed={mode === 'json'} onClick={() => { setMode('json'); if (!input.trim().startsWith('{')) setInput(JSON.stringify({ name: 'Maria García', email: 'maria.garcia@example.com', note: 'call +1 415 555 0134' }, null, 2)); }}>JSON</button>
      </div>
      <Field label={mode === 'text' ? 'Text to scan' : 'JSON to scan'}>
        {(id) => <textarea id={id} rows={6} value={input} onChange={(e) => setInput(e.target.value)} spellCheck={false} className="mono" />}
      </Field>
      {parseError && <div className="alert alert-error" role="alert">{parseError}</div>}
      <ErrorBox error={scan.error ?? anonymize.error} />
      <div className="row">
        <button type="button" className="btn btn-primary" onClick={() => void scan.run()} disabled={scan.busy}>{scan.busy ? 'Scanning…' : 'Scan'}</button>
        <label className="inline">Default operator
          <select value={defaultOp} onChange={(e) => setDefaultOp(e.target.value)}>{OPERATORS.map((o) => <option key={o}>{o}</option>)}</select>
        </label>
        <button type="button" className="btn btn-primary" onClick={() => void anonymize.run()} disabled={anonymize.busy}>{anonymize.busy ? 'Anonymizing…' : 'Anonymize'}</button>
      </div>
      {findings && (
        <section aria-labelledby="found">
          <h2 id="found">{findings.length} entit{findings.length === 1 ? 'y' : 'ies'} found</h2>
          {mode === 'text' && scanned === input ? <Highlighted text={scanned} findings={findings} /> : null}
          {types.length > 0 && (
            <fieldset className="ops">
              <legend>Operator per entity type</legend>
              {types.map((t) => (
                <label key={t}><code>{t}</code>
                  <select value={ops[t] ?? ''} onChange={(e) => setOps({ ...ops, [t]: e.target.value })}>
                    <option value="">default ({defaultOp})</option>{OPERATORS.map((o) => <option key={o}>{o}</option>)}
                  </select>
                </label>
              ))}
            </fieldset>
          )}
          <table>
            <thead><tr><th scope="col">Type</th><th scope="col">Where</th><th scope="col">Score</th></tr></thead>
            <tbody>{findings.map((f, i) => <tr key={i}><td><code>{f.type}</code>{f.subtype ? ` (${f.subtype})` : ''}</td><td>{f.path ? `${f.path} ` : ''}{f.start}–{f.end}</td><td className="num">{f.score.toFixed(2)}</td></tr>)}</tbody>
          </table>
        </section>
      )}
      {anon && (
        <section aria-labelledby="anon-out">
          <h2 id="anon-out">Anonymized output</h2>
          <pre className="output" data-testid="anonymized">{output}</pre>
          <div className="row">
            <CopyButton text={output} />
            {anon.restore_token && auth.can('restore:pii') && <button type="button" className="btn" onClick={() => void restore.run()} disabled={restore.busy}>Restore</button>}
          </div>
          {anon.restore_token && <p className="small muted">Restore token (valid until {new Date(anon.expires_at!).toLocaleString()}): <code>{anon.restore_token}</code></p>}
          {!anon.restore_token && <p className="small muted">Choose <code>encrypt</code> or <code>pseudonymize</code> to be able to restore the output.</p>}
          <ErrorBox error={restore.error} />
          {restored !== null && <><h3>Restored</h3><pre className="output">{restored}</pre>{restored === input && <Notice kind="success">Identical to the input.</Notice>}</>}
        </section>
      )}
    </>
  );
}
