/**
 * A wrapper that lets a wide table scroll sideways on small screens. It can take focus,
 * so keyboard users can scroll it too, and is a named region so that focus makes sense.
 */
import type { ReactNode } from 'react';

export function TableRegion({ label, children }: { label: string; children: ReactNode }): ReactNode {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
