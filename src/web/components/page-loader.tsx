/**
 * Route-level code splitting. Each page module is its own chunk, fetched the first time one
 * of its routes is shown (test/e2e/bundle-size.test.ts keeps the entry chunk, each page chunk
 * and the total within budget). While a chunk loads, a polite status says so; if it cannot be
 * loaded — the connection dropped, or Canvass was updated and the old chunk is gone — the
 * page says what happened and offers a reload instead of leaving a blank screen.
 */
import { Component, lazy, Suspense, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import { useLocation } from 'react-router';
import { Loading } from './page.js';

/**
 * A page loaded on demand. Write the import as a literal, `() => import('./pages/x.js').then((m) => m.XPage)`,
 * so that Vite can see it and give the module a chunk of its own.
 */
export function lazyPage<P extends object>(
  load: () => Promise<ComponentType<P>>,
): LazyExoticComponent<ComponentType<P>> {
  return lazy(async () => ({ default: await load() }));
}

interface BoundaryProps {
  /** The boundary forgets an error when this changes (the address, so that navigating away recovers). */
  resetKey: string;
  children: ReactNode;
}

interface BoundaryState {
  failed: boolean;
  /** The resetKey the state belongs to. */
  key: string;
}

class PageErrorBoundary extends Component<BoundaryProps, BoundaryState> {
  override state: BoundaryState = { failed: false, key: this.props.resetKey };

  static getDerivedStateFromProps(props: BoundaryProps, state: BoundaryState): Partial<BoundaryState> | null {
    return props.resetKey === state.key ? null : { failed: false, key: props.resetKey };
  }

  static getDerivedStateFromError(): Partial<BoundaryState> {
    return { failed: true };
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="notice notice-error" role="alert">
        <p>
          <strong>This page could not be shown.</strong> The connection may have dropped, or Canvass may have been
          updated since you opened it. Reloading fetches the current version; nothing you saved is lost.
        </p>
        <p>
          <button type="button" className="button button-secondary" onClick={() => window.location.reload()}>
            Reload the page
          </button>
        </p>
      </div>
    );
  }
}

/**
 * Where lazily loaded pages render: shows `fallback` (by default "Loading the page…") while a
 * page's chunk arrives. Navigation between pages runs in a transition, so once a boundary has
 * shown a page it keeps showing it until the next one is ready.
 */
export function PageSuspense({ children, fallback }: { children: ReactNode; fallback?: ReactNode }): ReactNode {
  const { pathname } = useLocation();
  return (
    <PageErrorBoundary resetKey={pathname}>
      <Suspense fallback={fallback ?? <Loading what="the page" />}>{children}</Suspense>
    </PageErrorBoundary>
  );
}
