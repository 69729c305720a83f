/**
 * Form plumbing: field errors from the API's `details.issues[].field` (or from the quick
 * checks made before sending) are shown next to their field, linked with aria-describedby
 * and flagged with aria-invalid; anything that names no field goes into the summary at the
 * top of the form, which is announced as an alert.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError, type FieldIssue } from '../api.js';
import { sentence } from '../format.js';

export interface FormErrors {
  fields: Record<string, string>;
  summary: string | null;
}

const NO_ERRORS: FormErrors = { fields: {}, summary: null };

export interface FormState {
  prefix: string;
  errors: FormErrors;
  busy: boolean;
  fieldId(name: string): string;
  /** Runs `action`; an ApiError's issues land on the named fields, any other error in the summary. */
  run(action: () => Promise<void>, knownFields?: readonly string[]): Promise<boolean>;
  /** Shows issues found before sending; returns true when there were none. */
  check(issues: FieldIssue[]): boolean;
  reset(): void;
}

/** `fieldAlias` maps an API field path onto a form field name, e.g. "campaign.dpo.email". */
export function useForm(prefix: string, fieldAlias?: (field: string) => string): FormState {
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  const fieldId = useCallback((name: string) => `${prefix}-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`, [prefix]);

  const show = useCallback(
    (issues: FieldIssue[], fallback: string | null, knownFields?: readonly string[]) => {
      const fields: Record<string, string> = {};
      const loose: string[] = [];
      for (const issue of issues) {
        const name = fieldAlias ? fieldAlias(issue.field) : issue.field;
        const known = name !== '' && (knownFields === undefined || knownFields.includes(name));
        if (known && !(name in fields)) fields[name] = sentence(issue.message);
        else if (!known) loose.push(issue.field ? `${issue.field}: ${issue.message}` : issue.message);
      }
      const count = Object.keys(fields).length;
      let summary: string | null = fallback;
      if (loose.length > 0) summary = loose.map(sentence).join(' ');
      else if (count > 0)
        summary = count === 1 ? 'Please correct the field marked below.' : 'Please correct the fields marked below.';
      setErrors({ fields, summary });
    },
    [fieldAlias],
  );

  const run = useCallback(
    async (action: () => Promise<void>, knownFields?: readonly string[]) => {
      setBusy(true);
      setErrors(NO_ERRORS);
      try {
        await action();
        return true;
      } catch (error) {
        if (error instanceof ApiError) show(error.issues, sentence(error.message), knownFields);
        else show([], error instanceof Error ? sentence(error.message) : 'Something went wrong.', knownFields);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [show],
  );

  const check = useCallback(
    (issues: FieldIssue[]) => {
      if (issues.length === 0) return true;
      show(issues, null);
      return false;
    },
    [show],
  );

  const reset = useCallback(() => setErrors(NO_ERRORS), []);

  return { prefix, errors, busy, fieldId, run, check, reset };
}

/** The form's problems; it takes focus when they appear, so keyboard users start from it. */
export function ErrorSummary({ form, extra }: { form: FormState; extra?: string | null }): ReactNode {
  const box = useRef<HTMLDivElement>(null);
  const { summary, fields } = form.errors;
  useEffect(() => {
    if (summary) box.current?.focus();
  }, [summary, fields]);
  if (!summary) return null;
  return (
    <div className="notice notice-error" role="alert" tabIndex={-1} ref={box}>
      <p>{form.errors.summary}</p>
      {extra ? <p>{extra}</p> : null}
    </div>
  );
}

interface FieldProps {
  form: FormState;
  name: string;
  label: string;
  hint?: string | undefined;
  optional?: boolean | undefined;
  children: (control: ControlProps) => ReactNode;
}

export interface ControlProps {
  id: string;
  name: string;
  'aria-invalid': boolean | undefined;
  'aria-describedby': string | undefined;
}

/** A field's id, its error, its hint and error paragraphs, and the aria-describedby that ties them to it. */
function fieldParts(form: FormState, name: string, hint: string | undefined) {
  const id = form.fieldId(name);
  const error = form.errors.fields[name];
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return {
    id,
    error,
    describedBy: [hint && hintId, error && errorId].filter(Boolean).join(' ') || undefined,
    messages: (
      <>
        {hint ? (
          <p className="hint" id={hintId}>
            {hint}
          </p>
        ) : null}
        {error ? (
          <p className="field-error" id={errorId}>
            <span className="visually-hidden">Error: </span>
            {error}
          </p>
        ) : null}
      </>
    ),
  };
}

/** A labelled control with its hint and error, tied together with aria-describedby. */
export function Field({ form, name, label, hint, optional, children }: FieldProps): ReactNode {
  const { id, error, describedBy, messages } = fieldParts(form, name, hint);
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>
        {label}
        {optional ? <span className="optional"> (optional)</span> : null}
      </label>
      {messages}
      {children({ id, name, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
    </div>
  );
}

/** A fieldset of checkboxes or radios; its error is tied to the group. */
export function ChoiceGroup({
  form,
  name,
  legend,
  hint,
  type,
  options,
  defaultValue,
}: {
  form: FormState;
  name: string;
  legend: string;
  hint?: string;
  type: 'checkbox' | 'radio';
  options: readonly { value: string; label: string }[];
  defaultValue?: readonly string[];
}): ReactNode {
  const { id, error, describedBy, messages } = fieldParts(form, name, hint);
  return (
    <fieldset className={error ? 'fieldset choices field-invalid' : 'fieldset choices'} aria-describedby={describedBy}>
      <legend>{legend}</legend>
      {messages}
      {options.map((option) => (
        <div className="choice" key={option.value}>
          <input
            type={type}
            id={`${id}-${option.value}`}
            name={name}
            value={option.value}
            defaultChecked={defaultValue?.includes(option.value)}
          />
          <label htmlFor={`${id}-${option.value}`}>{option.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

interface TextFieldProps {
  form: FormState;
  name: string;
  label: string;
  hint?: string;
  optional?: boolean;
  type?: 'text' | 'email' | 'password' | 'number' | 'date' | 'datetime-local';
  autoComplete?: string;
  defaultValue?: string;
  inputMode?: 'numeric' | 'email' | 'text';
  spellCheck?: boolean;
  width?: 'short' | 'medium' | 'full';
}

export function TextField(props: TextFieldProps): ReactNode {
  const {
    form,
    name,
    label,
    hint,
    optional,
    type = 'text',
    autoComplete,
    defaultValue,
    inputMode,
    spellCheck,
    width = 'full',
  } = props;
  return (
    <Field form={form} name={name} label={label} hint={hint} optional={optional}>
      {(control) => (
        <input
          {...control}
          className={`input input-${width}`}
          type={type}
          required={!optional}
          autoComplete={autoComplete}
          defaultValue={defaultValue}
          inputMode={inputMode}
          spellCheck={spellCheck}
        />
      )}
    </Field>
  );
}

/** A date and time, to the minute, in local time. */
export function DateTimeField(props: Omit<TextFieldProps, 'type' | 'width'>): ReactNode {
  return <TextField {...props} type="datetime-local" width="medium" />;
}

interface TextAreaFieldProps {
  form: FormState;
  name: string;
  label: string;
  hint?: string;
  optional?: boolean;
  autoComplete?: string;
  defaultValue?: string;
  rows?: number;
}

export function TextAreaField({
  form,
  name,
  label,
  hint,
  optional,
  autoComplete,
  defaultValue,
  rows = 3,
}: TextAreaFieldProps): ReactNode {
  return (
    <Field form={form} name={name} label={label} hint={hint} optional={optional}>
      {(control) => (
        <textarea
          {...control}
          className="input input-full"
          rows={rows}
          required={!optional}
          autoComplete={autoComplete}
          defaultValue={defaultValue}
        />
      )}
    </Field>
  );
}

interface SelectFieldProps {
  form: FormState;
  name: string;
  label: string;
  hint?: string;
  options: readonly { value: string; label: string }[];
  defaultValue?: string;
  placeholder?: string;
  onChange?(value: string): void;
}

export function SelectField({
  form,
  name,
  label,
  hint,
  options,
  defaultValue,
  placeholder,
  onChange,
}: SelectFieldProps): ReactNode {
  return (
    <Field form={form} name={name} label={label} hint={hint}>
      {(control) => (
        <select
          {...control}
          className="input input-medium"
          required
          defaultValue={defaultValue ?? (placeholder ? '' : undefined)}
          onChange={onChange && ((e) => onChange(e.target.value))}
        >
          {placeholder ? (
            <option value="" disabled>
              {placeholder}
            </option>
          ) : null}
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** Reads a trimmed text value from submitted form data ("" when absent). */
export function textOf(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** Like textOf, but passwords are taken exactly as typed. */
export function rawOf(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}

export function SubmitButton({
  form,
  children,
  variant = 'primary',
}: {
  form: FormState;
  children: ReactNode;
  variant?: 'primary' | 'secondary';
}): ReactNode {
  return (
    <button
      type="submit"
      className={`button button-${variant}`}
      disabled={form.busy}
      aria-disabled={form.busy || undefined}
    >
      {children}
    </button>
  );
}
