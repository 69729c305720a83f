/**
 * Background jobs of the campaign (imports, exports, scans…), with progress. The list is
 * refreshed every 2 seconds while any job is queued or running.
 */
import { useState, type ReactNode } from 'react';
import { api, describeError, type JobView } from '../api.js';
import { useCampaign } from '../campaign-context.js';
import { TableRegion } from '../components/table-region.js';
import { ListState, Page, StatusMessage } from '../components/page.js';
import { formatDateTime, sentence } from '../format.js';
import { useInterval, useLoad } from '../use-load.js';
import { JOB_STATUS_LABELS } from '../../shared/labels.js';

const POLL_MS = 2000;

const isActive = (job: JobView): boolean => job.status === 'queued' || job.status === 'running';

function Progress({ job }: { job: JobView }): ReactNode {
  const { done, total } = job.progress;
  if (total === null || total <= 0) {
    return <span>{done > 0 ? `${done.toLocaleString('en-GB')} done` : '—'}</span>;
  }
  const percent = Math.min(100, Math.round((done / total) * 100));
  return (
    <span className="progress">
      <progress max={total} value={Math.min(done, total)} aria-label={`Progress of ${job.name}`}>
        {percent}%
      </progress>
      <span className="progress-text">
        {done.toLocaleString('en-GB')} of {total.toLocaleString('en-GB')} ({percent}%)
      </span>
    </span>
  );
}

export function JobsPage(): ReactNode {
  const { campaign, can } = useCampaign();
  const {
    data: jobs,
    setData: setJobs,
    error,
    setError,
    load,
  } = useLoad(async () => (await api.jobs(campaign.id)).jobs, [campaign.id]);
  const [status, setStatus] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState<string | null>(null);

  const polling = jobs?.some(isActive) ?? false;
  useInterval(polling, load, POLL_MS);

  const cancel = async (job: JobView): Promise<void> => {
    setCancelling(job.id);
    setStatus(null);
    try {
      const { job: updated } = await api.cancelJob(campaign.id, job.id);
      setJobs((current) => current?.map((j) => (j.id === updated.id ? updated : j)) ?? null);
      setStatus(`Cancellation requested for ${job.name}.`);
    } catch (caught) {
      setError(sentence(describeError(caught)));
    } finally {
      setCancelling(null);
    }
  };

  const canCancel = can('jobs.cancel');

  return (
    <Page
      title="Jobs"
      context={campaign.name}
      lead="Long-running work such as imports, exports and website scans runs in the background. Its progress shows here."
    >
      <StatusMessage message={status} />
      <ListState items={jobs} error={error} what="jobs" empty="No jobs yet.">
        <p>Jobs appear here when you start an import, an export or a scan, and stay listed after they finish.</p>
      </ListState>
      {jobs && jobs.length > 0 ? (
        <>
          <p className="hint" aria-live="off">
            {polling ? 'Updating every 2 seconds while jobs are running.' : 'No job is running.'}
          </p>
          <TableRegion label="Jobs table">
            <table className="table">
              <caption className="visually-hidden">Jobs, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Job</th>
                  <th scope="col">Status</th>
                  <th scope="col">Progress</th>
                  <th scope="col">Started</th>
                  <th scope="col">Finished</th>
                  {canCancel ? (
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {jobs.map((job) => (
                  <tr key={job.id}>
                    <td>
                      {job.name}
                      <span className="code-hint">Queued {formatDateTime(job.createdAt)}</span>
                    </td>
                    <td>
                      <span className={`tag tag-${job.status}`}>{JOB_STATUS_LABELS[job.status] ?? job.status}</span>
                      {job.cancelRequested && isActive(job) ? <span className="code-hint">Cancelling…</span> : null}
                      {job.error ? <span className="field-error-inline">{sentence(job.error.message)}</span> : null}
                    </td>
                    <td>
                      <Progress job={job} />
                    </td>
                    <td className="nowrap">{formatDateTime(job.startedAt)}</td>
                    <td className="nowrap">{formatDateTime(job.finishedAt)}</td>
                    {canCancel ? (
                      <td>
                        {isActive(job) && !job.cancelRequested ? (
                          <button
                            type="button"
                            className="button button-danger button-small"
                            onClick={() => void cancel(job)}
                            disabled={cancelling === job.id}
                            aria-label={`Cancel ${job.name}`}
                          >
                            Cancel
                          </button>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        </>
      ) : null}
    </Page>
  );
}
