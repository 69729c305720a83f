/**
 * `canvass dpia screen|list|show|cover`: data protection impact assessments (UK GDPR Art 35).
 *
 * `screen` needs no campaign and no database: screening is a pure function of the facts.
 * Describe the activity (--kind, --platform) and/or answer the questions with flags
 * (--large-scale, --no-hidden-from-people, …), or give the same as JSON with --file.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { dpiaCoverForActivity, getDpia, listDpias, screenProcessingNeed } from '../../app/dpias.js';
import {
  ACTIVITY_KINDS,
  DPIA_STATUS_LABELS,
  LIKELIHOOD_LABELS,
  RISK_LEVEL_LABELS,
  SCREENING_FACT_KEYS,
  SCREENING_FACT_QUESTIONS,
  SEVERITIES,
  SEVERITY_LABELS,
  type DpiaDetailView,
  type DpiaSummaryView,
  type Screening,
  type ScreeningFactKey,
} from '../../domain/dpia.js';
import { invalid } from '../../domain/errors.js';
import { SPECIAL_CATEGORIES } from '../../shared/labels.js';
import { accountByEmail, begin, campaignIdOf, withJsonOption, type CommandContext } from '../command.js';
import { usageError, type Output } from '../io.js';
import { withRuntime } from '../runtime.js';

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const FIELD_OPTIONS: Record<string, string> = {
  'activity.kind': '--kind',
  'activity.platform': '--platform',
  'activity.listRevealsPoliticalOpinion': '--list-not-political',
  'facts.specialCategories': '--special-categories',
  ...Object.fromEntries(SCREENING_FACT_KEYS.map((key) => [`facts.${key}`, `--${kebab(key)}`])),
  campaign: '--campaign',
  by: '--by',
  dpia: '--dpia',
  version: '--dpia-version',
  activity: '--activity',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function uuidOf(value: string, field: string, what: string): string {
  const id = value.trim().toLowerCase();
  if (!UUID.test(id)) throw invalid([{ field, message: `must be ${what} id (a UUID)` }]);
  return id;
}

type ScreenOptions = Partial<Record<ScreeningFactKey, boolean>> & {
  kind?: string;
  platform?: string;
  listNotPolitical?: boolean;
  specialCategories?: string;
  file?: string;
  json?: boolean;
};

/** The screening input from --file (JSON: { activity?, facts? }, or the facts alone). */
function inputFromFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw invalid([{ field: 'file', message: `cannot read the file ${path}` }]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw invalid([{ field: 'file', message: 'is not valid JSON' }]);
  }
  if (value !== null && typeof value === 'object' && !('activity' in value) && !('facts' in value)) {
    return { facts: value };
  }
  return value;
}

function inputFromFlags(options: ScreenOptions): unknown {
  const facts: Record<string, unknown> = {};
  for (const key of SCREENING_FACT_KEYS) if (options[key] !== undefined) facts[key] = options[key];
  if (options.specialCategories !== undefined) {
    const categories = options.specialCategories
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    const unknown = categories.filter((c) => !(SPECIAL_CATEGORIES as readonly string[]).includes(c));
    if (unknown.length > 0) {
      throw invalid([
        {
          field: 'facts.specialCategories',
          message: `not a special category: ${unknown.join(', ')} (use ${SPECIAL_CATEGORIES.join(', ')})`,
        },
      ]);
    }
    facts.specialCategories = categories;
  }
  const activity =
    options.kind !== undefined
      ? {
          kind: options.kind,
          ...(options.platform !== undefined ? { platform: options.platform } : {}),
          ...(options.listNotPolitical ? { listRevealsPoliticalOpinion: false } : {}),
        }
      : undefined;
  if (activity === undefined && Object.keys(facts).length === 0) {
    throw usageError('describe the activity with --kind, answer the questions with flags, or give --file');
  }
  return { ...(activity ? { activity } : {}), ...(Object.keys(facts).length > 0 ? { facts } : {}) };
}

export function printScreening(out: Output, s: Screening): void {
  out.line(`DPIA required: ${s.result.required ? 'yes' : 'no'}`);
  out.line(s.result.summary);
  if (s.result.reasons.length > 0) {
    out.line('');
    out.line('Reasons:');
    for (const r of s.result.reasons) {
      out.line(`  - ${r.title} [${r.trigger}]`);
      out.line(`    ${r.explanation}`);
      out.line(`    Citation: ${r.citation}`);
    }
  }
  if (s.derived.length > 0) {
    out.line('');
    out.line('Derived from the activity (answer a question with a flag to override it):');
    for (const d of s.derived) out.line(`  - ${d.fact}: ${d.because}`);
  }
  if (s.result.notes.length > 0) {
    out.line('');
    out.line('Also:');
    for (const n of s.result.notes) out.line(`  - ${n}`);
  }
}

const describeSummary = (d: DpiaSummaryView): string => {
  const inForce = d.inForce
    ? `approved v${d.inForce.version}, review by ${d.inForce.reviewDate ?? '—'}${d.inForce.reviewState === 'expired' ? ' (EXPIRED)' : d.inForce.reviewState === 'due_soon' ? ' (due soon)' : ''}`
    : 'no approval in force';
  const actions = d.overdueActions > 0 ? `; ${d.overdueActions} overdue action(s)` : '';
  return `${d.id}  ${d.title}  (v${d.latestVersion} ${DPIA_STATUS_LABELS[d.latestStatus].toLowerCase()}; ${inForce}${actions})`;
};

function printDetail(out: Output, detail: DpiaDetailView): void {
  const { dpia, version: v } = detail;
  out.line(`${dpia.title}`);
  out.line(`DPIA ${dpia.id}, version ${v.version}: ${DPIA_STATUS_LABELS[v.status]}${v.expired ? ' (expired)' : ''}`);
  out.line(`Activity: ${v.activityId ?? 'not linked'}`);
  out.line(`Versions: ${detail.versions.map((x) => `v${x.version} ${x.status}`).join(', ')}`);
  out.line('');
  printScreening(out, v.screening);
  out.line('');
  out.line('Steps:');
  for (const s of v.completeness) {
    out.line(`  ${s.step}. ${s.complete ? 'complete' : `incomplete: ${s.issues.map((i) => i.message).join('; ')}`}`);
  }
  if (v.risks.length > 0) {
    out.line('');
    out.line('Risks (before → after measures):');
    for (const r of v.risks) {
      const after = r.residualLevel ? RISK_LEVEL_LABELS[r.residualLevel] : 'not scored';
      out.line(`  ${r.label} ${RISK_LEVEL_LABELS[r.level]} → ${after}: ${r.description}`);
    }
    out.line('');
    out.line('Risk map (before / after):');
    out.line(`  ${''.padEnd(12)}${SEVERITIES.map((s) => SEVERITY_LABELS[s].padEnd(22)).join('')}`);
    for (const likelihood of ['probable', 'possible', 'remote'] as const) {
      const cells = v.riskMap.filter((c) => c.likelihood === likelihood);
      out.line(
        `  ${LIKELIHOOD_LABELS[likelihood].padEnd(12)}${cells
          .map((c) =>
            `${c.level[0]!.toUpperCase()} ${c.before.join(',') || '·'} / ${c.after.join(',') || '·'}`.padEnd(22),
          )
          .join('')}`,
      );
    }
  }
  for (const f of v.approvalFindings)
    out.line(`${f.outcome === 'warn' ? 'Warning' : 'Blocks approval'}: ${f.ruleId}: ${f.explanation}`);
  if (detail.actions.length > 0) {
    out.line('');
    out.line('Action plan:');
    for (const a of detail.actions) {
      out.line(`  [${a.done ? 'x' : ' '}] ${a.dueDate}  ${a.owner}: ${a.action}${a.overdue ? '  (OVERDUE)' : ''}`);
    }
  }
}

export function registerDpiaCommands(program: Command, ctx: CommandContext): void {
  const dpia = program.command('dpia').description('data protection impact assessments (UK GDPR Art 35)');

  const screenCommand = dpia
    .command('screen')
    .description('screen processing for the need of a DPIA: required or not, with every reason')
    .option('--kind <kind>', `the kind of activity: ${ACTIVITY_KINDS.join(', ')}`)
    .option('--platform <name>', 'the platform involved (Meta, Google, …)')
    .option('--list-not-political', 'the list or seed is not defined by support, membership, pledges or donations')
    .option('--special-categories <list>', `special category data, comma-separated: ${SPECIAL_CATEGORIES.join(', ')}`)
    .option('--file <facts.json>', 'the input as JSON: { "activity": {…}, "facts": {…} }, or the facts alone');
  for (const key of SCREENING_FACT_KEYS) {
    screenCommand
      .option(`--${kebab(key)}`, SCREENING_FACT_QUESTIONS[key])
      .option(`--no-${kebab(key)}`, 'answer no (overrides the activity)');
  }
  withJsonOption(screenCommand).action((options: ScreenOptions) => {
    const out = begin(ctx, options, FIELD_OPTIONS);
    const flagsGiven =
      options.kind !== undefined ||
      options.specialCategories !== undefined ||
      SCREENING_FACT_KEYS.some((key) => options[key] !== undefined);
    if (options.file !== undefined && flagsGiven) throw usageError('give either --file or the flags, not both');
    const screening = screenProcessingNeed(
      options.file !== undefined ? inputFromFile(options.file) : inputFromFlags(options),
    );
    out.object({ screening });
    printScreening(out, screening);
  });

  withJsonOption(
    dpia
      .command('list')
      .description('list the campaign’s DPIAs with their status, review date and overdue actions')
      .requiredOption('--campaign <id>', 'campaign id (required)')
      .requiredOption('--by <email>', 'the account acting (required)')
      .option('--activity <id>', 'only DPIAs linked to this processing activity'),
  ).action(async (options: { campaign: string; by: string; activity?: string; json?: boolean }) => {
    const out = begin(ctx, options, FIELD_OPTIONS);
    const campaignId = campaignIdOf(options.campaign);
    const activityId = options.activity !== undefined ? uuidOf(options.activity, 'activity', 'an activity') : undefined;
    const dpias = await withRuntime(ctx.io, async ({ deps }) => {
      const by = await accountByEmail(deps, options.by, 'by');
      return listDpias(deps, { userId: by.id, via: 'cli' }, campaignId, { activityId });
    });
    out.object({ dpias });
    if (dpias.length === 0)
      out.line('No DPIAs yet (screen the activity with `canvass dpia screen`, then start one in the dashboard).');
    for (const d of dpias) out.line(describeSummary(d));
  });

  withJsonOption(
    dpia
      .command('show')
      .description('show a DPIA: its steps, risks, risk map and action plan')
      .requiredOption('--campaign <id>', 'campaign id (required)')
      .requiredOption('--by <email>', 'the account acting (required)')
      .requiredOption('--dpia <id>', 'the DPIA id (required)')
      .option('--dpia-version <n>', 'a version number (default: the newest)'),
  ).action(async (options: { campaign: string; by: string; dpia: string; dpiaVersion?: string; json?: boolean }) => {
    const out = begin(ctx, options, FIELD_OPTIONS);
    const campaignId = campaignIdOf(options.campaign);
    const dpiaId = uuidOf(options.dpia, 'dpia', 'a DPIA');
    let version: number | undefined;
    if (options.dpiaVersion !== undefined) {
      version = Number(options.dpiaVersion);
      if (!Number.isInteger(version) || version < 1)
        throw invalid([{ field: 'version', message: 'must be a whole number from 1' }]);
    }
    const detail = await withRuntime(ctx.io, async ({ deps }) => {
      const by = await accountByEmail(deps, options.by, 'by');
      return getDpia(deps, { userId: by.id, via: 'cli' }, campaignId, dpiaId, version);
    });
    out.object(detail);
    printDetail(out, detail);
  });

  withJsonOption(
    dpia
      .command('cover')
      .description('whether an approved, unexpired DPIA covers a processing activity (DPIA-HIGH-RISK)')
      .requiredOption('--campaign <id>', 'campaign id (required)')
      .requiredOption('--by <email>', 'the account acting (required)')
      .requiredOption('--activity <id>', 'the processing activity id (required)'),
  ).action(async (options: { campaign: string; by: string; activity: string; json?: boolean }) => {
    const out = begin(ctx, options, FIELD_OPTIONS);
    const campaignId = campaignIdOf(options.campaign);
    const activityId = uuidOf(options.activity, 'activity', 'an activity');
    const cover = await withRuntime(ctx.io, async ({ deps }) => {
      const by = await accountByEmail(deps, options.by, 'by');
      return dpiaCoverForActivity(deps, { userId: by.id, via: 'cli' }, campaignId, activityId);
    });
    out.object({ cover });
    out.line(`${cover.covered ? 'Covered' : 'Not covered'} (${cover.state}): ${cover.explanation}`);
  });
}
