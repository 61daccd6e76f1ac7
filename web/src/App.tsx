import { Component, type ComponentType, type ReactNode, lazy, Suspense, useEffect, useRef } from 'react';
import { useAuth } from './auth';
import { Link, navigate, useLocation } from './router';
import { ErrorBox, Loading } from './ui';
import { Login } from './pages/Login';

const Enroll = lazy(() => import('./pages/Enroll'));
const Overview = lazy(() => import('./pages/Overview'));
const Alerts = lazy(() => import('./pages/Alerts'));
const AlertDetail = lazy(() => import('./pages/AlertDetail'));
const Audit = lazy(() => import('./pages/Audit'));
const Documents = lazy(() => import('./pages/Documents'));
const Users = lazy(() => import('./pages/Users'));
const Pii = lazy(() => import('./pages/Pii'));
const Keys = lazy(() => import('./pages/Keys'));
const Account = lazy(() => import('./pages/Account'));

interface NavItem { to: string; label: string; perm?: string | string[]; page: ComponentType<{ param?: string }> }

/** Pages, and the permission that shows each (what the caller may not do is not shown). */
const NAV: NavItem[] = [
  { to: '/', label: 'Overview', perm: 'read:alerts', page: Overview },
  { to: '/alerts', label: 'Alerts', perm: 'read:alerts', page: Alerts },
  { to: '/audit', label: 'Audit log', perm: 'read:audit', page: Audit },
  { to: '/documents', label: 'Documents', perm: ['read:compliance', 'read:marketing', 'read:feedback'], page: Documents },
  { to: '/users', label: 'Users & access', perm: 'admin:users', page: Users },
  { to: '/pii', label: 'PII playground', perm: 'use:pii', page: Pii },
  { to: '/keys', label: 'Keys', perm: 'admin:keys', page: Keys },
  { to: '/account', label: 'My account', page: Account },
];

class Boundary extends Component<{ children: ReactNode; resetKey: string }, { error: unknown }> {
  state = { error: null as unknown };
  static getDerivedStateFromError(error: unknown) { return { error }; }
  componentDidUpdate(prev: { resetKey: string }) { if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null }); }
  render() { return this.state.error ? <ErrorBox error={this.state.error} /> : this.props.children; }
}

function Shell() {
  const auth = useAuth();
  const { path } = useLocation();
  const allowed = NAV.filter((n) => !n.perm || (Array.isArray(n.perm) ? n.perm.some(auth.can) : auth.can(n.perm)));
  const mainRef = useRef<HTMLElement>(null);

  // Move focus to the page title on navigation (screen readers hear the new page).
  useEffect(() => {
    const t = setTimeout(() => document.getElementById('page-title')?.focus(), 50);
    return () => clearTimeout(t);
  }, [path]);

  let page: ReactNode = null;
  const seg = path.split('/').filter(Boolean);
  if (seg[0] === 'alerts' && seg[1] && auth.can('read:alerts')) page = <AlertDetail param={decodeURIComponent(seg[1])} />;
  else {
    const item = allowed.find((n) => n.to === `/${seg[0] ?? ''}`) ?? (path === '/' ? allowed[0] : undefined);
    if (item) { const P = item.page; page = <P />; }
    else if (path === '/' && allowed.length) { const P = allowed[0].page; page = <P />; }
    else page = <ErrorBox error={new Error('This page does not exist, or your roles do not include it.')} />;
  }
  const current = (to: string) => (to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`));

  return (
    <div className="shell">
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); mainRef.current?.focus(); }}>Skip to content</a>
      <nav className="sidebar" aria-label="Main">
        <div className="brand"><span aria-hidden="true">◆</span> Warden</div>
        <ul>
          {allowed.map((n) => (
            <li key={n.to}><Link to={n.to} aria-current={current(n.to) ? 'page' : undefined}>{n.label}</Link></li>
          ))}
        </ul>
        <div className="whoami">
          <span className="muted small">Signed in as</span>
          <strong>{auth.me?.email ?? auth.me?.name ?? auth.me?.id}</strong>
          <span className="muted small">{auth.me?.roles.join(', ')}</span>
          <button type="button" className="btn" onClick={async () => { await auth.logout(); navigate('/', true); }}>Sign out</button>
        </div>
      </nav>
      <main id="main" ref={mainRef} tabIndex={-1}>
        <Boundary resetKey={path}>
          <Suspense fallback={<Loading />}>{page}</Suspense>
        </Boundary>
      </main>
    </div>
  );
}

export function App() {
  const auth = useAuth();
  if (auth.phase === 'loading') return <Loading label="Starting Warden…" />;
  if (auth.phase === 'signed-out' || auth.phase === 'mfa') return <Login />;
  if (auth.phase === 'enroll') return <Suspense fallback={<Loading />}><Enroll /></Suspense>;
  return <Shell />;
}
