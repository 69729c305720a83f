/**
 * `canvass ropa export|list`, `canvass processor list`, `canvass arrangement list`: the
 * governance records (issue 4) from the command line, through the same use cases as the
 * dashboard. The export is the record of processing activities (UK GDPR Art 30) as CSV
 * (formula-neutralised) or, with --json, as one JSON document; it is audited.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { AppDeps } from '../../app/context.js';
import { listJointControllerArrangements } from '../../app/joint-controllers.js';
import { listProcessingActivities } from '../../app/processing-activities.js';
import { listProcessors } from '../../app/processors.js';
import { exportRecordOfProcessing, recordOfProcessingCsv } from '../../app/record-of-processing.js';
import { sessionView } from '../../app/sessions.js';
import { invalid } from '../../domain/errors.js';
import { ACTIVITY_STATUSES, type ActivityStatus, type ActivityView } from '../../shared/governance.js';
import { accountByEmail, begin, campaignIdOf, withJsonOption, type CommandContext } from '../command.js';
import { CliError } from '../io.js';
import { withRuntime } from '../runtime.js';

const FIELD_OPTIONS = {
  campaign: '--campaign',
  by: '--by',
  status: '--status',
  include: '--include',
  out: '--out',
};

interface CommonOptions {
  campaign?: string;
  by: string;
  json?: boolean;
}

/**
 * The campaign a command acts on: --campaign, or, without it, the one campaign the --by
 * account belongs to (an account in several must say which).
 */
async function campaignOf(deps: AppDeps, options: CommonOptions, userId: string): Promise<string> {
  if (options.campaign !== undefined) return campaignIdOf(options.campaign);
  const { campaigns } = await sessionView(deps.db, userId, null);
  if (campaigns.length === 1) return campaigns[0]!.id;
  throw invalid([
    {
      field: 'campaign',
      message:
        campaigns.length === 0
          ? 'this account belongs to no campaign'
          : `this account belongs to ${campaigns.length} campaigns: name one (${campaigns.map((c) => `${c.id} ${c.name}`).join('; ')})`,
    },
  ]);
}

const withCampaignOptions = (command: Command): Command =>
  withJsonOption(
    command
      .option('--campaign <id>', 'campaign id (optional when the account belongs to one campaign)')
      .requiredOption('--by <email>', 'the account acting (required)'),
  );

function describeActivity(a: ActivityView): string {
  const blocking = a.decision.findings.filter((f) => f.outcome === 'refuse' || f.outcome === 'require');
  const state =
    blocking.length > 0
      ? `blocked by ${[...new Set(blocking.map((f) => f.ruleId))].join(', ')}`
      : a.decision.outcome === 'warn'
        ? `warnings: ${[...new Set(a.decision.findings.map((f) => f.ruleId))].join(', ')}`
        : 'passes the rules';
  return `${a.id}  ${a.name}  [${a.status}]  ${state}`;
}

export function registerGovernanceCommands(program: Command, ctx: CommandContext): void {
  const ropa = program.command('ropa').description('the record of processing activities (UK GDPR Art 30)');

  withCampaignOptions(
    ropa
      .command('export')
      .description(
        'export the record of processing activities: CSV to stdout or --out FILE; --json prints the record as JSON (the export is audited)',
      )
      .option('--out <file>', 'write the CSV to this file instead of stdout')
      .option('--include <which>', 'active (default): the processing carried out now; all: drafts and retired too'),
  ).action(async (options: CommonOptions & { out?: string; include?: string }) => {
    const out = begin(ctx, options, FIELD_OPTIONS);
    if (options.include !== undefined && options.include !== 'active' && options.include !== 'all') {
      throw invalid([{ field: 'include', message: 'must be active or all' }]);
    }
    const include = options.include;
    const format = options.json && options.out === undefined ? 'json' : 'csv';
    const record = await withRuntime(ctx.io, async ({ deps }) => {
      const by = await accountByEmail(deps, options.by, 'by');
      const campaignId = await campaignOf(deps, options, by.id);
      return exportRecordOfProcessing(deps, { userId: by.id, via: 'cli' }, campaignId, {
        format,
        ...(include ? { include } : {}),
      });
    });
    if (options.out !== undefined) {
      try {
        await writeFile(options.out, recordOfProcessingCsv(record), 'utf8');
      } catch (error) {
        throw new CliError('bad_request', `cannot write ${options.out}: ${(error as Error).message}`);
      }
      out.object({ file: options.out, activities: record.activities.length, generatedAt: record.generatedAt });
      out.line(
        `Wrote the record of processing (${record.activities.length} ${record.activities.length === 1 ? 'activity' : 'activities'}) to ${options.out}.`,
      );
      return;
    }
    if (options.json) {
      out.object({ record });
      return;
    }
    ctx.io.stdout.write(recordOfProcessingCsv(record));
  });

  withCampaignOptions(
    ropa
      .command('list')
      .description('list the processing activities, with what blocks each one')
      .option('--status <status>', `only activities in this status: ${ACTIVITY_STATUSES.join(', ')}`),
  ).action(async (options: CommonOptions & { status?: string }) => {
    const out = begin(ctx, options, FIELD_OPTIONS);
    if (options.status !== undefined && !(ACTIVITY_STATUSES as readonly string[]).includes(options.status)) {
      throw invalid([{ field: 'status', message: `must be one of ${ACTIVITY_STATUSES.join(', ')}` }]);
    }
    const activities = await withRuntime(ctx.io, async ({ deps }) => {
      const by = await accountByEmail(deps, options.by, 'by');
      const campaignId = await campaignOf(deps, options, by.id);
      return listProcessingActivities(deps, { userId: by.id, via: 'cli' }, campaignId, {
        ...(options.status ? { status: options.status as ActivityStatus } : {}),
      });
    });
    out.object({ activities });
    if (activities.length === 0) out.line('No processing activities recorded.');
    for (const a of activities) {
      out.line(describeActivity(a));
      for (const f of a.decision.findings) out.line(`    ${f.outcome} ${f.ruleId}: ${f.explanation}`);
    }
  });

  withCampaignOptions(
    program
      .command('processor')
      .description('processors acting for the campaign (UK GDPR Art 28)')
      .command('list')
      .description('list the processors, with missing Art 28(3) terms and transfer problems'),
  ).action(async (options: CommonOptions) => {
    const out = begin(ctx, options, FIELD_OPTIONS);
    const processors = await withRuntime(ctx.io, async ({ deps }) => {
      const by = await accountByEmail(deps, options.by, 'by');
      return listProcessors(deps, { userId: by.id, via: 'cli' }, await campaignOf(deps, options, by.id));
    });
    out.object({ processors });
    if (processors.length === 0) out.line('No processors recorded.');
    for (const p of processors) {
      out.line(`${p.id}  ${p.name}${p.archivedAt ? ' [archived]' : ''}  ${p.decision.outcome}`);
      for (const f of p.decision.findings) out.line(`    ${f.outcome} ${f.ruleId}: ${f.explanation}`);
    }
  });

  withCampaignOptions(
    program
      .command('arrangement')
      .description('joint-controller arrangements with platforms (UK GDPR Art 26)')
      .command('list')
      .description('list the arrangements, with unassigned responsibilities and overdue reviews'),
  ).action(async (options: CommonOptions) => {
    const out = begin(ctx, options, FIELD_OPTIONS);
    const arrangements = await withRuntime(ctx.io, async ({ deps }) => {
      const by = await accountByEmail(deps, options.by, 'by');
      return listJointControllerArrangements(
        deps,
        { userId: by.id, via: 'cli' },
        await campaignOf(deps, options, by.id),
      );
    });
    out.object({ arrangements });
    if (arrangements.length === 0) out.line('No joint-controller arrangements recorded.');
    for (const a of arrangements) {
      const gaps = a.gaps.length > 0 ? `gaps: ${a.gaps.map((g) => g.label).join(', ')}` : 'no gaps';
      out.line(
        `${a.id}  ${a.platformName} — ${a.scope.replaceAll('_', ' ')}${a.archivedAt ? ' [archived]' : ''}  ${gaps}; review ${a.review.replaceAll('_', ' ')}`,
      );
    }
  });
}
