/** An area that is not built yet: says so, and says what it will do. No invented data. */
import type { ReactNode } from 'react';
import type { Area } from '../areas.js';
import { useCampaign } from '../campaign-context.js';
import { Page } from '../components/page.js';

export function EmptyAreaPage({ area }: { area: Area & { upcoming: NonNullable<Area['upcoming']> } }): ReactNode {
  const { campaign } = useCampaign();
  const { upcoming } = area;
  return (
    <Page title={area.label} context={campaign.name}>
      <div className="empty-state">
        <p className="empty-state-title">Not available yet: this area arrives with {upcoming.arrivesWith}.</p>
        <p>{upcoming.summary}</p>
        <h2>What it will do</h2>
        <ul className="bullets">
          {upcoming.points.map((point) => (
            <li key={point}>{point}</li>
          ))}
        </ul>
        <p className="hint">Nothing is stored here yet, and nothing shown on this page is sample data.</p>
      </div>
    </Page>
  );
}
