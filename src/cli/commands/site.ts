/**
 * `canvass site list|show|receipts export`: the campaign's websites and their consent receipts
 * (issue 6) from the command line, through the same use cases as the dashboard. The export is
 * CSV (formula-neutralised) to stdout or --out FILE, or JSON with --json; it is audited.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { exportConsentReceipts, receiptsCsv } from '../../app/consent-receipts.js';
import { getConsentSite, listConsentSites } from '../../app/consent-sites.js';
import type { AppDeps } from '../../app/context.js';
import { sessionView } from '../../app/sessions.js';
import { invalid } from '../../domain/errors.js';
import { accountByEmail, begin, campaignIdOf, withJsonOption, type CommandContext } from '../command.js';
import { CliError } from '../io.js';
import { withRuntime } from '../runtime.js';
import { isUuid } from '../../domain/people.js';

const FIELD_OPTIONS = { campaign: '--campaign', by: '--by', out: '--out', consentId: '--consent-id' };

interface CommonOptions {
  campaign?: string;
  by: string;
  json?: boolean;
}

/** --campaign, or the one campaign the --by account belongs to. */
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
          : `this account belongs to ${campaigns.length} campaigns: name one with --campaign`,
    },
  ]);
}

const withCampaignOptions = (command: Command): Command =>
  withJsonOption(
    command
      .option('--campaign <id>', 'campaign id (optional when the account belongs to one campaign)')
      .requiredOption('--by <email>', 'the account acting (required)'),
  );

function siteIdOf(value: string): string {
  if (!isUuid(value)) throw invalid([{ field: 'site', message: 'a website id looks like a UUID' }]);
  return value.toLowerCase();
}

export function registerSiteCommands(program: Command, ctx: CommandContext): void {
  const site = program.command('site').description('campaign websites: their consent banner and receipts');

  withCampaignOptions(site.command('list').description('list the websites, with their published configuration')).action(
    async (options: CommonOptions) => {
      const out = begin(ctx, options, FIELD_OPTIONS);
      const sites = await withRuntime(ctx.io, async ({ deps }) => {
        const by = await accountByEmail(deps, options.by, 'by');
        return listConsentSites(deps, { userId: by.id, via: 'cli' }, await campaignOf(deps, options, by.id));
      });
      out.object({ sites });
      if (sites.length === 0) out.line('No websites registered.');
      for (const s of sites) {
        const published = s.published
          ? `version ${s.published.version}, configuration ${s.published.configHash.slice(0, 12)}`
          : 'nothing published';
        out.line(`${s.id}  ${s.name}  revision ${s.revision}  ${published}  ${s.origins.join(' ')}`);
      }
    },
  );

  withCampaignOptions(
    site.command('show').description('one website: configuration, versions and install snippet').argument('<site>'),
  ).action(async (siteArg: string, options: CommonOptions) => {
    const out = begin(ctx, options, FIELD_OPTIONS);
    const siteId = siteIdOf(siteArg);
    const view = await withRuntime(ctx.io, async ({ deps }) => {
      const by = await accountByEmail(deps, options.by, 'by');
      return getConsentSite(deps, { userId: by.id, via: 'cli' }, await campaignOf(deps, options, by.id), siteId);
    });
    out.object({ site: view });
    out.line(`${view.name} (${view.id}), revision ${view.revision}`);
    out.line(`Origins: ${view.origins.join(', ')}`);
    out.line(
      `Receipts kept: ${view.retentionDays === null ? 'until the website is retired' : `${view.retentionDays} days`}`,
    );
    for (const c of view.config.categories) {
      const flags = [c.defaultOn && c.id !== 'necessary' ? 'on by default' : '', c.exempt ? 'Sch A1 exception' : '']
        .filter(Boolean)
        .join(', ');
      out.line(`  ${c.id}${flags ? ` (${flags})` : ''}: ${c.services.map((s) => s.name).join(', ') || 'no services'}`);
    }
    for (const v of view.versions) {
      out.line(
        `  version ${v.version}  revision ${v.revision}  configuration ${v.configHash.slice(0, 12)}  ${v.publishedAt}`,
      );
    }
    out.line(`Install: ${view.install.snippet}`);
  });

  withCampaignOptions(
    site
      .command('receipts')
      .description('consent receipts of a website')
      .command('export')
      .description('export the receipts: CSV to stdout or --out FILE; --json prints JSON (the export is audited)')
      .argument('<site>')
      .option('--out <file>', 'write the CSV to this file instead of stdout')
      .option('--consent-id <id>', 'only the receipts of this consent id'),
  ).action(async (siteArg: string, options: CommonOptions & { out?: string; consentId?: string }) => {
    const out = begin(ctx, options, FIELD_OPTIONS);
    const siteId = siteIdOf(siteArg);
    const format = options.json && options.out === undefined ? 'json' : 'csv';
    const exported = await withRuntime(ctx.io, async ({ deps }) => {
      const by = await accountByEmail(deps, options.by, 'by');
      return exportConsentReceipts(
        deps,
        { userId: by.id, via: 'cli' },
        await campaignOf(deps, options, by.id),
        siteId,
        {
          format,
          consentId: options.consentId,
        },
      );
    });
    if (options.out !== undefined) {
      try {
        await writeFile(options.out, receiptsCsv(exported.receipts), 'utf8');
      } catch (error) {
        throw new CliError('bad_request', `cannot write ${options.out}: ${(error as Error).message}`);
      }
      out.object({ file: options.out, receipts: exported.receipts.length, generatedAt: exported.generatedAt });
      out.line(`Wrote ${exported.receipts.length} receipts to ${options.out}.`);
      return;
    }
    if (options.json) {
      out.object({ export: exported });
      return;
    }
    ctx.io.stdout.write(receiptsCsv(exported.receipts));
  });
}
