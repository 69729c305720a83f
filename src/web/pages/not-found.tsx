import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Page } from '../components/page.js';
import { AppShell, PublicShell } from '../components/shell.js';
import { useSession } from '../session.js';

export function NotFoundPage(): ReactNode {
  const { state } = useSession();
  const Shell = state.status === 'signed-in' ? AppShell : PublicShell;
  return (
    <Shell>
      <Page title="Page not found">
        <p>There is no page at this address. Check it for typing mistakes, or go back to the start.</p>
        <p>
          <Link to="/">Go to the start</Link>
        </p>
      </Page>
    </Shell>
  );
}
