/**
 * The DPO's page (issue 4, item 6): everything outstanding in the campaign's compliance
 * records on one page, most pressing first. Each item names its rule and links to the page
 * where it is fixed; the page refreshes when it is opened again.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { api } from '../api.js';
import { useCampaign } from '../campaign-context.js';
import { ListState, Page } from '../components/page.js';
import { formatDateTime } from '../format.js';
import { useLoad } from '../use-load.js';
import {
  OUTSTANDING_AREA_LABELS,
  OUTSTANDING_SEVERITIES,
  OUTSTANDING_SEVERITY_LABELS,
  type OutstandingItem,
} from '../../shared/dpo.js';

function Item({ item }: { item: OutstandingItem }): ReactNode {
  return (
    <li className={`outstanding outstanding-${item.severity}`}>
      <h3>
        <Link to={item.link}>{item.title}</Link>
      </h3>
      <p>{item.detail}</p>
      <p className="hint">
        {OUTSTANDING_AREA_LABELS[item.area]} · <abbr title={item.citation}>{item.ruleId}</abbr> ({item.citation})
      </p>
    </li>
  );
}

export function DpoPage(): ReactNode {
  const { campaign } = useCampaign();
  const { data, error } = useLoad(() => api.dpoOutstanding(campaign.id), [campaign.id]);
  const items = data?.items ?? null;
  return (
    <Page
      title="What needs the DPO"
      context={campaign.name}
      lead="Everything outstanding in the campaign's compliance records, most pressing first. Each item says which rule it comes from and opens the page where it is fixed."
    >
      <ListState items={items} error={error} what="the outstanding items" empty="Nothing is outstanding.">
        {OUTSTANDING_SEVERITIES.map((severity) => {
          const group = items?.filter((i) => i.severity === severity) ?? [];
          if (group.length === 0) return null;
          return (
            <section key={severity} className="panel" aria-labelledby={`dpo-${severity}`}>
              <h2 id={`dpo-${severity}`}>
                {OUTSTANDING_SEVERITY_LABELS[severity]} ({group.length})
              </h2>
              <ul className="outstanding-list">
                {group.map((item) => (
                  <Item key={item.id} item={item} />
                ))}
              </ul>
            </section>
          );
        })}
        {data ? <p className="hint">As of {formatDateTime(data.generatedAt)}.</p> : null}
      </ListState>
    </Page>
  );
}
