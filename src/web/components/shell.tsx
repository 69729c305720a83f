/** Page frames: a skip link, a header banner, optional navigation, and the main landmark. */
import { useState, type MouseEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { api } from '../api.js';
import { useSession } from '../session.js';

function focusMain(event: MouseEvent<HTMLAnchorElement>): void {
  // Handled here rather than by the fragment, which would replace a setup or invitation token.
  event.preventDefault();
  const main = document.getElementById('main');
  main?.focus();
  main?.scrollIntoView();
}

function SkipLink(): ReactNode {
  return (
    <a className="skip-link" href="#main" onClick={focusMain}>
      Skip to main content
    </a>
  );
}

function Brand(): ReactNode {
  return (
    <Link to="/" className="brand">
      <svg className="brand-mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d="M4 5h16v10H9l-5 4z" />
      </svg>
      <span>Canvass</span>
    </Link>
  );
}

/** For pages used before signing in: setup, sign-in, invitations. */
export function PublicShell({ children, narrow = false }: { children: ReactNode; narrow?: boolean }): ReactNode {
  return (
    <>
      <SkipLink />
      <header className="site-header">
        <Brand />
      </header>
      <main id="main" tabIndex={-1} className="public-main">
        <div className={narrow ? 'public-card public-card-narrow' : 'public-card'}>{children}</div>
      </main>
      <footer className="site-footer">
        <p>Canvass: campaigning within UK data protection and e-privacy law.</p>
      </footer>
    </>
  );
}

function SignOutButton(): ReactNode {
  const { setSession } = useSession();
  const [busy, setBusy] = useState(false);
  const signOut = async (): Promise<void> => {
    setBusy(true);
    try {
      await api.signOut();
    } catch {
      // Signed out on the server or not, the dashboard forgets the session.
    }
    // Signed-in routes then send the person to the sign-in page, which confirms it.
    setSession(null, { signedOut: true });
  };
  return (
    <button type="button" className="button button-header" onClick={() => void signOut()} disabled={busy}>
      Sign out
    </button>
  );
}

/** For signed-in pages; `nav` is the campaign navigation where there is one. */
export function AppShell({ nav, children }: { nav?: ReactNode; children: ReactNode }): ReactNode {
  const { state } = useSession();
  const user = state.status === 'signed-in' ? state.session.user : null;
  return (
    <>
      <SkipLink />
      <header className="site-header">
        <Brand />
        {user ? (
          <div className="header-user">
            <Link to="/account" className="header-link">
              <span className="header-user-name">{user.displayName}</span>
              <span className="header-user-hint">Account</span>
            </Link>
            <SignOutButton />
          </div>
        ) : null}
      </header>
      <div className={nav ? 'layout layout-with-nav' : 'layout'}>
        {nav}
        <main id="main" tabIndex={-1} className="content">
          {children}
        </main>
      </div>
    </>
  );
}
