/** A secret or link shown once, read-only, with a button that copies it. */
import { useId, useRef, useState, type ReactNode } from 'react';

export function CopyField({ label, value, hint }: { label: string; value: string; hint?: string }): ReactNode {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('Copied to the clipboard.');
    } catch {
      input.current?.select();
      setCopied('Press Ctrl+C (or ⌘C) to copy the selected text.');
    }
  };
  return (
    <div className="field copy-field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <div className="copy-row">
        <input
          ref={input}
          id={id}
          className="input input-full input-mono"
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          aria-describedby={hint ? `${id}-hint` : undefined}
          spellCheck={false}
        />
        <button type="button" className="button button-secondary" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p role="status" aria-live="polite" className="copy-status">
        {copied}
      </p>
    </div>
  );
}
