/**
 * `canvass audience …` (issue 5): create an audience from a saved or new segment, preview it
 * (who is in, who is left out and why, what the rules say), export the platform's file behind
 * the lawful gate (a progress bar on stderr on a terminal), record its upload (the audience is
 * then live), and the removals owed to platforms (list, write the removal files, confirm);
 * the campaign's file expiry (settings) and the consent wordings the DPO marks explicit
 * (wordings, mark-explicit).
 * A refused export prints each rule with its fix and exits 1.
 */
import { resolve } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { confirmAudienceRemovals, exportAudienceRemovals, listPendingRemovals } from '../../app/audience-removals.js';
import {
  createAudience,
  exportAudience,
  getAudience,
  getAudienceSettings,
  listConsentWordings,
  markExplicitConsentWording,
  previewAudience,
  recordAudienceUpload,
  updateAudienceSettings,
} from '../../app/audiences.js';
import type { Principal } from '../../app/context.js';
import { AppError, invalid } from '../../domain/errors.js';
import type { Finding } from '../../domain/rules/rule.js';
import type { AudienceExportView } from '../../shared/audiences.js';
import { accountByEmail, begin, campaignIdOf, withJsonOption, type CommandContext } from '../command.js';
import type { Output } from '../io.js';
import { withRuntime } from '../runtime.js';

const FIELD_OPTIONS = {
  campaign: '--campaign',
  by: '--by',
  name: '--name',
  platform: '--platform',
  kind: '--kind',
  activityId: '--activity',
  segmentId: '--segment',
  'segment.definition': '--tag/--list/--source',
  consentPurpose: '--consent-purpose',
  uninformed: '--uninformed',
  uploadedAt: '--uploaded-at',
  fileExpiryDays: '--file-expiry-days',
  wordingHash: '<wordingHash>',
  note: '--note',
};

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

interface Common {
  campaign: string;
  by: string;
  json?: boolean;
}

function printFindings(out: Output, findings: readonly Finding[]): void {
  for (const f of findings) {
    out.line(`  ${f.ruleId} (${f.outcome}) — ${f.citation}`);
    out.line(`    ${f.explanation}`);
    if (f.remedy) out.line(`    Fix: ${f.remedy}`);
  }
}

function printFiles(out: Output, files: readonly AudienceExportView['files'][number][]): void {
  for (const f of files) out.line(`  ${f.name}  ${f.rows} rows  sha256 ${f.sha256}`);
}

async function withPrincipal<T>(
  ctx: CommandContext,
  options: Common,
  fn: (deps: Parameters<typeof previewAudience>[0], principal: Principal, campaignId: string) => Promise<T>,
): Promise<T> {
  const campaignId = campaignIdOf(options.campaign);
  let result: T | undefined;
  await withRuntime(ctx.io, async (runtime) => {
    const by = await accountByEmail(runtime.deps, options.by, 'by');
    result = await fn(runtime.deps, { userId: by.id, via: 'cli' }, campaignId);
  });
  return result as T;
}

export function registerAudienceCommands(program: Command, ctx: CommandContext): void {
  const command = program
    .command('audience')
    .description(
      'list-based audiences and lookalike seeds: create, preview, export, uploaded, removals, settings, wordings, mark-explicit',
    );

  withJsonOption(
    command
      .command('create')
      .description('create an audience for a platform, from a saved segment or from tags, lists and sources')
      .requiredOption('--campaign <id>', 'campaign id')
      .requiredOption('--by <email>', 'the account acting')
      .requiredOption('--name <name>', 'the audience’s name')
      .requiredOption('--platform <platform>', 'meta | google | x | snap | linkedin | tiktok')
      .option('--kind <kind>', 'list | lookalike_seed', 'list')
      .requiredOption('--activity <id>', 'the processing activity (the purpose in the record of processing)')
      .option('--segment <id>', 'a saved segment')
      .option('--tag <id>', 'select people with this tag (repeatable)', collect)
      .option('--list <id>', 'select people on this list (repeatable)', collect)
      .option('--source <id>', 'select people from this source (repeatable)', collect)
      .requiredOption('--consent-purpose <purpose>', 'the consent ledger purpose relied on, e.g. campaign_updates')
      .option('--uninformed <choice>', 'people never given a list-matching notice: exclude | refuse', 'exclude')
      .option('--not-election', 'the adverts are not UK election adverts')
      .option('--seed-audience <id>', 'for a lookalike seed: the list audience it is built from'),
  ).action(
    async (
      options: Common & {
        name: string;
        platform: string;
        kind: string;
        activity: string;
        segment?: string;
        tag?: string[];
        list?: string[];
        source?: string[];
        consentPurpose: string;
        uninformed: string;
        notElection?: boolean;
        seedAudience?: string;
      },
    ) => {
      const out = begin(ctx, options, FIELD_OPTIONS);
      const view = await withPrincipal(ctx, options, (deps, principal, campaignId) =>
        createAudience(deps, principal, campaignId, {
          name: options.name,
          platform: options.platform,
          kind: options.kind,
          activityId: options.activity,
          ...(options.segment
            ? { segmentId: options.segment }
            : {
                segment: {
                  name: `${options.name} (segment)`,
                  definition: {
                    tags: (options.tag ?? []).map((id) => ({ id })),
                    lists: (options.list ?? []).map((id) => ({ id })),
                    sources: options.source ?? [],
                  },
                },
              }),
          consentPurpose: options.consentPurpose,
          uninformed: options.uninformed,
          electionAds: options.notElection !== true,
          ...(options.seedAudience ? { seedAudienceId: options.seedAudience } : {}),
        }),
      );
      out.object({ audience: view });
      out.line(`Audience ${view.id} (${view.name}, ${view.platform}, ${view.kind}): ${view.status}`);
      out.line(`Preview: canvass audience preview ${view.id} --campaign ${options.campaign} --by ${options.by}`);
    },
  );

  withJsonOption(
    command
      .command('preview')
      .description('how many people an export would hold, who is left out and why, and what the rules say')
      .argument('<audienceId>', 'the audience')
      .requiredOption('--campaign <id>', 'campaign id')
      .requiredOption('--by <email>', 'the account acting'),
  ).action(async (audienceId: string, options: Common) => {
    const out = begin(ctx, options, FIELD_OPTIONS);
    const preview = await withPrincipal(ctx, options, (deps, principal, campaignId) =>
      previewAudience(deps, principal, campaignId, audienceId),
    );
    out.object({ preview });
    out.line(`${preview.segmentCount} people in the segment; ${preview.includedCount} would be in the file.`);
    if (preview.exclusions.length > 0) {
      out.line('Left out:');
      for (const e of preview.exclusions) out.line(`  ${String(e.count).padStart(7)}  ${e.label}`);
    }
    const verdict =
      preview.outcome === 'allow' || preview.outcome === 'warn'
        ? 'An export would go ahead.'
        : 'An export would be refused:';
    out.line(verdict);
    printFindings(out, preview.findings);
  });

  withJsonOption(
    command
      .command('export')
      .description('write the platform’s file behind the lawful gate (files 0600, manifest beside them)')
      .argument('<audienceId>', 'the audience')
      .requiredOption('--campaign <id>', 'campaign id')
      .requiredOption('--by <email>', 'the account acting')
      .requiredOption(
        '--platform <platform>',
        'the audience’s platform (checked): meta | google | x | snap | linkedin | tiktok',
      )
      .requiredOption('--out <dir>', 'where to write: a new directory audience-<export id> is made inside'),
  ).action(async (audienceId: string, options: Common & { platform: string; out: string }) => {
    const out = begin(ctx, options, { ...FIELD_OPTIONS, directory: '--out' });
    let bar: SingleBar | null = null;
    try {
      const view = await withPrincipal(ctx, options, async (deps, principal, campaignId) => {
        const detail = await getAudience(deps, principal, campaignId, audienceId);
        if (detail.audience.platform !== options.platform) {
          throw invalid([
            { field: 'platform', message: `the audience is for ${detail.audience.platform}, not ${options.platform}` },
          ]);
        }
        return exportAudience(deps, principal, campaignId, audienceId, {
          directory: resolve(options.out, `audience-${audienceId}-${Date.now()}`),
          onProgress: ({ peopleRead, total }) => {
            if (!ctx.io.stderr.isTTY) return;
            if (!bar) {
              bar = new SingleBar(
                {
                  stream: ctx.io.stderr,
                  format: 'exporting [{bar}] {percentage}% | {value}/{total} people | ETA {eta_formatted}',
                  hideCursor: true,
                },
                Presets.shades_classic,
              );
              bar.start(Math.max(total, 1), 0);
            }
            bar.update(peopleRead);
          },
        });
      });
      (bar as SingleBar | null)?.stop();
      out.object({ export: view });
      out.line(`Export ${view.id}: ${view.peopleCount} people, ${view.rowsWritten} rows, in ${view.directory}`);
      printFiles(out, view.files);
      for (const [reason, n] of Object.entries(view.excluded)) out.line(`  left out ${n}: ${reason}`);
      for (const w of view.warnings) out.line(`  warning: ${w}`);
      out.line(`The files are deleted on ${view.expiresAt.slice(0, 10)}; the manifest stays.`);
      out.line(
        `After uploading: canvass audience uploaded ${view.id} --campaign ${options.campaign} --by ${options.by}`,
      );
    } catch (error) {
      (bar as SingleBar | null)?.stop();
      if (error instanceof AppError && error.code === 'rule_refused' && !ctx.state.json) {
        out.line('The export was refused (recorded in the audit trail):');
        printFindings(
          out,
          ((error.details?.findings ?? []) as Finding[]).filter(
            (f) => f.outcome === 'refuse' || f.outcome === 'require',
          ),
        );
      }
      throw error;
    }
  });

  withJsonOption(
    command
      .command('uploaded')
      .description('record that an export was uploaded to the platform: the audience is live')
      .argument('<exportId>', 'the export')
      .requiredOption('--campaign <id>', 'campaign id')
      .requiredOption('--by <email>', 'the account acting')
      .option('--uploaded-at <iso>', 'when it was uploaded (default: now)')
      .option('--note <text>', 'a note (e.g. the platform’s audience id)'),
  ).action(async (exportId: string, options: Common & { uploadedAt?: string; note?: string }) => {
    const out = begin(ctx, options, FIELD_OPTIONS);
    const audience = await withPrincipal(ctx, options, (deps, principal, campaignId) =>
      recordAudienceUpload(deps, principal, campaignId, exportId, {
        uploadedAt: options.uploadedAt ?? new Date().toISOString(),
        ...(options.note ? { note: options.note } : {}),
      }),
    );
    out.object({ audience });
    out.line(`Audience ${audience.id} (${audience.name}) is live.`);
  });

  withJsonOption(
    command
      .command('removals')
      .description('removals owed to platforms: list them, write the removal files (--export --out), confirm an upload')
      .requiredOption('--campaign <id>', 'campaign id')
      .requiredOption('--by <email>', 'the account acting')
      .option('--audience <id>', 'only this audience')
      .option('--export', 'write the platform’s removal file for the pending removals')
      .option('--out <dir>', 'with --export: where to write')
      .option('--confirm <exportId>', 'confirm that this removal export was uploaded to the platform'),
  ).action(async (options: Common & { audience?: string; export?: boolean; out?: string; confirm?: string }) => {
    const out = begin(ctx, options, { ...FIELD_OPTIONS, directory: '--out' });
    if (options.export && !options.out)
      throw invalid([{ field: 'directory', message: 'give --out DIR with --export' }]);
    await withPrincipal(ctx, options, async (deps, principal, campaignId) => {
      if (options.confirm) {
        const done = await confirmAudienceRemovals(deps, principal, campaignId, options.confirm);
        out.object(done);
        out.line(`${done.confirmed} removal${done.confirmed === 1 ? '' : 's'} confirmed.`);
        return;
      }
      if (options.export) {
        const result = await exportAudienceRemovals(deps, principal, campaignId, {
          directory: resolve(options.out!),
          ...(options.audience ? { audienceId: options.audience } : {}),
        });
        out.object(result);
        out.line(`${result.removals} pending removal${result.removals === 1 ? '' : 's'}.`);
        for (const e of result.exports) {
          out.line(`Removal export ${e.id} (${e.platform}): ${e.directory}`);
          printFiles(out, e.files);
          out.line(
            `  after uploading: canvass audience removals --confirm ${e.id} --campaign ${options.campaign} --by ${options.by}`,
          );
        }
        return;
      }
      const removals = await listPendingRemovals(deps, principal, campaignId, options.audience);
      out.object({ removals });
      if (removals.length === 0) out.line('No pending removals.');
      for (const r of removals) {
        out.line(
          `${r.createdAt.slice(0, 10)}  ${r.audienceName} (${r.platform})  ${r.reason}${r.removalExportId ? `  in removal export ${r.removalExportId}` : ''}`,
        );
      }
    });
  });

  withJsonOption(
    command
      .command('settings')
      .description('the campaign’s audience file expiry: show it, or set it with --file-expiry-days')
      .requiredOption('--campaign <id>', 'campaign id')
      .requiredOption('--by <email>', 'the account acting')
      .option('--file-expiry-days <days>', 'delete export files this many days after the export (1–90)'),
  ).action(async (options: Common & { fileExpiryDays?: string }) => {
    const out = begin(ctx, options, FIELD_OPTIONS);
    const settings = await withPrincipal(ctx, options, async (deps, principal, campaignId) => {
      if (options.fileExpiryDays !== undefined) {
        await updateAudienceSettings(deps, principal, campaignId, { fileExpiryDays: Number(options.fileExpiryDays) });
      }
      return getAudienceSettings(deps, principal, campaignId);
    });
    out.object({ settings });
    out.line(
      `Export files are deleted ${settings.fileExpiryDays} day${settings.fileExpiryDays === 1 ? '' : 's'} after the export${settings.isDefault ? ' (the default)' : ''}; manifests are kept.`,
    );
  });

  withJsonOption(
    command
      .command('wordings')
      .description('the consent wordings people were asked with, and whether each is marked explicit (Art 9(2)(a))')
      .requiredOption('--campaign <id>', 'campaign id')
      .requiredOption('--by <email>', 'the account acting'),
  ).action(async (options: Common) => {
    const out = begin(ctx, options, FIELD_OPTIONS);
    const wordings = await withPrincipal(ctx, options, (deps, principal, campaignId) =>
      listConsentWordings(deps, principal, campaignId),
    );
    out.object({ wordings });
    if (wordings.length === 0) out.line('No consent has been recorded with a wording yet.');
    for (const w of wordings) {
      out.line(
        `${w.wordingHash}  ${w.grantedConsents} consent${w.grantedConsents === 1 ? '' : 's'}${w.versions.length ? `  versions ${w.versions.join(', ')}` : ''}  ${w.explicit ? `explicit since ${w.explicit.recordedAt.slice(0, 10)}` : 'not marked explicit'}`,
      );
      out.line(`  “${w.text.length > 120 ? `${w.text.slice(0, 117)}…` : w.text}”`);
    }
  });

  withJsonOption(
    command
      .command('mark-explicit')
      .description(
        'mark a consent wording an explicit statement covering special category data (SCD-TARGETING-EXPLICIT-CONSENT); cannot be undone',
      )
      .argument('<wordingHash>', 'the wording’s SHA-256, as `canvass audience wordings` lists it')
      .requiredOption('--campaign <id>', 'campaign id')
      .requiredOption('--by <email>', 'the account acting (the DPO or the owner)')
      .requiredOption('--note <text>', 'why this wording is an explicit statement (Art 9(2)(a))'),
  ).action(async (wordingHash: string, options: Common & { note: string }) => {
    const out = begin(ctx, options, FIELD_OPTIONS);
    const wording = await withPrincipal(ctx, options, async (deps, principal, campaignId) => {
      await markExplicitConsentWording(deps, principal, campaignId, { wordingHash, note: options.note });
      const [marked] = await listConsentWordings(deps, principal, campaignId, wordingHash);
      return marked;
    });
    out.object({ wording });
    out.line(`Wording ${wordingHash} is marked explicit: consents given with it count as explicit consent.`);
  });
}
