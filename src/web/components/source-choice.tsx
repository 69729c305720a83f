/**
 * Choosing the source a fact comes from, for staff who record facts by hand (a person added
 * by hand, a tag or list membership). Archived sources take no new data, so only current ones
 * are offered; manual-entry sources come first. Once chosen, the source's lawful basis is shown
 * (it is what the new values will be held on), with the Art 14 duty for third-party sources.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { api, describeError, type Source } from '../api.js';
import { sentence } from '../format.js';
import { LAWFUL_BASIS_LABELS, SOURCE_TYPE_LABELS } from '../../shared/labels.js';
import { SelectField, type FormState } from './form.js';

/** The campaign's current (not archived) sources, manual entry first, then by name. */
export function useCurrentSources(campaignId: string) {
  const [sources, setSources] = useState<Source[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const answer = await api.sources(campaignId);
      const current = answer.sources.filter((s) => !s.archivedAt);
      current.sort(
        (a, b) =>
          Number(b.type === 'manual_entry') - Number(a.type === 'manual_entry') ||
          a.name.localeCompare(b.name, 'en-GB'),
      );
      setSources(current);
      setError(null);
    } catch (caught) {
      setError(sentence(describeError(caught)));
    }
  }, [campaignId]);
  useEffect(() => {
    void load();
  }, [load]);
  return { sources, error, reload: load };
}

export const sourceLabel = (s: Source): string => `${s.name} (${SOURCE_TYPE_LABELS[s.type] ?? s.type})`;

/** The source select; `onChange` reports the chosen source id. */
export function SourceSelect({
  form,
  sources,
  value,
  onChange,
  hint,
  label = 'Source',
}: {
  form: FormState;
  sources: readonly Source[];
  value: string;
  onChange(sourceId: string): void;
  hint?: string;
  label?: string;
}): ReactNode {
  return (
    <SelectField
      // Uncontrolled: mounted afresh when the list changes (a source was just added and chosen).
      key={sources.map((s) => s.id).join()}
      form={form}
      name="sourceId"
      label={label}
      {...(hint === undefined ? {} : { hint })}
      placeholder="Choose a source"
      options={sources.map((s) => ({ value: s.id, label: sourceLabel(s) }))}
      defaultValue={value}
      onChange={onChange}
    />
  );
}

/** What holding data from `source` rests on: its lawful basis and reasons, and the Art 14 duty. */
export function SourceBasis({ source }: { source: Source | undefined }): ReactNode {
  if (!source) return null;
  return (
    <div className="notice notice-info">
      {source.lawfulBasis ? (
        <p>
          <strong>Lawful basis:</strong> {LAWFUL_BASIS_LABELS[source.lawfulBasis]}
          {source.lawfulBasisNote ? <span className="code-hint preserve-lines">{source.lawfulBasisNote}</span> : null}
        </p>
      ) : (
        <p>
          <strong>No lawful basis is recorded for this source.</strong> Record one on the source page (UK GDPR Art 6,
          rule LB-BASIS-RECORDED) before relying on it.
        </p>
      )}
      {source.thirdParty ? (
        <p>
          This source is not the person themselves: they must be sent the privacy notice within one month (UK GDPR Art
          14).
        </p>
      ) : null}
    </div>
  );
}
