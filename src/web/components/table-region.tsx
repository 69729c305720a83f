/**
 * A wrapper that lets a wide table scroll sideways on small screens. It can take focus,
 * so keyboard users can scroll it too, and is a named region so that focus makes sense.
 * And the buttons that page through a long table.
 */
import type { Dispatch, ReactNode, SetStateAction } from 'react';

export function TableRegion({ label, children }: { label: string; children: ReactNode }): ReactNode {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** Back and on through a stack of page cursors (the first page's is undefined); `next` is null on the last page. */
export function PagerButtons<T>({
  cursors,
  setCursors,
  next,
  back,
  on,
}: {
  cursors: readonly (T | undefined)[];
  setCursors: Dispatch<SetStateAction<(T | undefined)[]>>;
  next: T | null;
  back: string;
  on: string;
}): ReactNode {
  return (
    <div className="pager-buttons">
      <button
        type="button"
        className="button button-secondary"
        disabled={cursors.length < 2}
        onClick={() => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c))}
      >
        {back}
      </button>
      <button
        type="button"
        className="button button-secondary"
        disabled={next === null}
        onClick={() => {
          if (next !== null) setCursors((c) => [...c, next]);
        }}
      >
        {on}
      </button>
    </div>
  );
}
