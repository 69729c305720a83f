/**
 * Every page has exactly one h1, sets the document title, and (after client-side
 * navigation, not on the first load) moves focus to its heading so that screen-reader and
 * keyboard users start at the new content.
 */
import { useEffect, useRef, type ReactNode } from 'react';

let firstPage = true;

export function Page({
  title,
  context,
  lead,
  actions,
  children,
}: {
  title: string;
  context?: string | undefined;
  lead?: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
}): ReactNode {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = [title, context, 'Canvass'].filter(Boolean).join(' · ');
  }, [title, context]);
  useEffect(() => {
    if (firstPage) {
      firstPage = false;
      return;
    }
    heading.current?.focus({ preventScroll: false });
  }, []);
  return (
    <>
      <div className="page-header">
        <div>
          <h1 ref={heading} tabIndex={-1}>
            {title}
          </h1>
          {lead ? <p className="lead">{lead}</p> : null}
        </div>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </div>
      {children}
    </>
  );
}

/** A polite live region that is always in the DOM, so that changes to it are announced. */
export function StatusMessage({ message }: { message: string | null }): ReactNode {
  return (
    <div role="status" aria-live="polite" className="status-region">
      {message ? <p className="notice notice-success">{message}</p> : null}
    </div>
  );
}

export function ErrorNotice({ message }: { message: string | null }): ReactNode {
  if (!message) return null;
  return (
    <div className="notice notice-error" role="alert">
      <p>{message}</p>
    </div>
  );
}

export function Loading({ what }: { what: string }): ReactNode {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}

/** A list's error, "Loading…" while it has not arrived, and `empty` (with `children`) when it has nothing in it. */
export function ListState({
  items,
  error,
  what,
  empty,
  children,
}: {
  items: readonly unknown[] | null;
  error: string | null;
  what: string;
  empty: string;
  children: ReactNode;
}): ReactNode {
  return (
    <>
      <ErrorNotice message={error} />
      {items === null && !error ? <Loading what={what} /> : null}
      {items && items.length === 0 ? (
        <div className="empty-state">
          <p className="empty-state-title">{empty}</p>
          {children}
        </div>
      ) : null}
    </>
  );
}
