/**
 * Pieces shared by the people, sources and imports pages: date and time values, rule
 * findings, a modal dialog, and the labels of person fields and statuses.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import type { Art14Status, Finding } from '../api.js';
import { formatDateTime } from '../format.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/** Now, as the value of a datetime-local input (local time, to the minute). */
export function localNow(): string {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value as an ISO instant ("" when it is not a date). */
export function isoFromLocal(value: string): string {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

const OUTCOME_LABELS: Record<Finding['outcome'], string> = {
  refuse: 'Refused',
  require: 'Needs a record first',
  warn: 'Warning',
};

/** Each finding of a rule decision: which rule, its citation, why, and what would allow it. */
export function FindingsList({ findings }: { findings: readonly Finding[] }): ReactNode {
  return (
    <ul className="findings">
      {findings.map((finding, index) => (
        <li key={`${finding.ruleId}-${index}`} className={`finding finding-${finding.outcome}`}>
          <p>
            <span className={`tag tag-finding-${finding.outcome}`}>{OUTCOME_LABELS[finding.outcome]}</span>{' '}
            <strong>{finding.ruleId}</strong> <span className="muted">({finding.citation})</span>
          </p>
          <p>{finding.explanation}</p>
          {finding.remedy ? (
            <p>
              <strong>{finding.outcome === 'warn' ? 'To clear the warning:' : 'What would make it allowed:'}</strong>{' '}
              {finding.remedy}
            </p>
          ) : finding.outcome === 'warn' ? null : (
            <p>
              <strong>Nothing can make it allowed.</strong>
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * A modal dialog on the native <dialog>: the browser keeps focus inside it and Escape closes
 * it; focus goes back to what opened it when it closes.
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  onClose(): void;
  children: ReactNode;
}): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);
  const headingId = `dialog-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={headingId}
      onClose={() => {
        if (opener.current instanceof HTMLElement) opener.current.focus();
        onClose();
      }}
    >
      {open ? (
        <>
          <h2 id={headingId}>{title}</h2>
          {children}
        </>
      ) : null}
    </dialog>
  );
}

export const ART14_LABELS: Record<Art14Status, string> = {
  not_applicable: 'Not needed',
  notified: 'Notice sent',
  due: 'Notice due',
  warning: 'Notice due soon',
  overdue: 'Notice overdue',
};

export function Art14Tag({ status }: { status: Art14Status }): ReactNode {
  if (status === 'not_applicable') return <span className="muted">—</span>;
  return <span className={`tag tag-art14-${status}`}>{ART14_LABELS[status] ?? status}</span>;
}

/** The fields a CSV column can feed (src/imports/column-mapping.ts), with labels. */
export const PERSON_FIELD_LABELS: Record<string, string> = {
  email: 'Email',
  phone: 'Phone',
  first_name: 'First name',
  last_name: 'Last name',
  full_name: 'Full name',
  address_line1: 'Address line 1',
  address_line2: 'Address line 2',
  address_line3: 'Address line 3',
  town: 'Town',
  postcode: 'Postcode',
  tag: 'Tag',
  list: 'List',
  note: 'Note',
};

export function fieldLabel(field: string): string {
  if (field.startsWith('attribute:')) return `Attribute: ${field.slice('attribute:'.length)}`;
  return PERSON_FIELD_LABELS[field] ?? field;
}

export function personName(p: { firstName: string | null; lastName: string | null; email: string | null }): string {
  return [p.firstName, p.lastName].filter(Boolean).join(' ') || p.email || 'Unnamed person';
}

export function Time({ iso }: { iso: string | null | undefined }): ReactNode {
  if (!iso) return <>—</>;
  return <time dateTime={iso}>{formatDateTime(iso)}</time>;
}

/** Reads a yes/no radio ("yes" | "no" | anything else → null). */
export function yesNo(data: FormData, name: string): boolean | null {
  const value = data.get(name);
  return value === 'yes' ? true : value === 'no' ? false : null;
}
