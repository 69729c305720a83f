/**
 * `canvass notice publish|show`: the campaign's privacy notice (the same use cases as the
 * dashboard's). `publish` composes the notice from the records and publishes a new version
 * when it changed (refused with the rule id when a section cannot be written); `show` prints
 * the published version, an earlier one (--number), or — with --preview — the next one and what blocks it.
 */
import type { Command } from 'commander';
import type { AppDeps } from '../../app/context.js';
import { getPrivacyNoticeOverview, getPrivacyNoticeVersion, publishPrivacyNotice } from '../../app/privacy-notice.js';
import { sessionView } from '../../app/sessions.js';
import { invalid } from '../../domain/errors.js';
import {
  describeUntranslated,
  type NoticeDocument,
  type NoticeInline,
  type PublishResult,
} from '../../domain/privacy-notice.js';
import { accountByEmail, begin, campaignIdOf, withJsonOption, type CommandContext } from '../command.js';
import { withRuntime } from '../runtime.js';

const FIELD_OPTIONS = { campaign: '--campaign', by: '--by', language: '--lang', version: '--number' };

interface NoticeOptions {
  campaign?: string;
  by: string;
  lang?: string;
  json?: boolean;
}

/** --campaign, or the one campaign the account belongs to. */
async function campaignFor(deps: AppDeps, userId: string, option: string | undefined): Promise<string> {
  if (option !== undefined) return campaignIdOf(option);
  const { campaigns } = await sessionView(deps.db, userId, null);
  if (campaigns.length === 1) return campaigns[0]!.id;
  throw invalid([
    {
      field: 'campaign',
      message:
        campaigns.length === 0
          ? 'this account belongs to no campaign'
          : `this account belongs to ${campaigns.length} campaigns: choose one (${campaigns.map((c) => `${c.id} ${c.name}`).join('; ')})`,
    },
  ]);
}

function languageOf(value: string | undefined): 'en' | 'cy' {
  if (value === undefined || value === 'en' || value === 'cy') return value ?? 'en';
  throw invalid([{ field: 'language', message: 'must be en or cy' }]);
}

const runs = (inlines: readonly NoticeInline[]): string =>
  inlines.map((i) => (i.missing ? `[[${i.text}]]` : i.text)).join('');

/** The notice as plain text for a terminal. */
export function noticeAsText(doc: NoticeDocument): string {
  const lines: string[] = [doc.title, '='.repeat(Math.min(doc.title.length, 78)), ''];
  for (const section of doc.sections) {
    lines.push(section.heading, '-'.repeat(Math.min(section.heading.length, 78)));
    for (const block of section.blocks) {
      if (block.kind === 'paragraph') lines.push(runs(block.content), '');
      else lines.push(...block.items.map((item) => `  - ${runs(item)}`), '');
    }
  }
  return lines.join('\n');
}

function describePublish(result: PublishResult): string[] {
  const lines: string[] = [];
  if (result.created.length === 0) {
    lines.push(`Nothing changed: version ${result.version} is already the published notice.`);
  } else {
    for (const v of result.created) {
      lines.push(`Published version ${v.version} (${v.language === 'cy' ? 'Welsh' : 'English'}), SHA-256 ${v.sha256}`);
    }
  }
  lines.push(`Public address: ${result.urls.notice}`);
  if (result.welsh) lines.push(`Welsh: ${result.urls.welsh}`);
  else if (result.welshMissing.length > 0) {
    lines.push(`Welsh not published: ${describeUntranslated(result.welshMissing)}`);
  }
  for (const w of result.warnings) lines.push(`warning: ${w.ruleId} (${w.citation}): ${w.explanation}`);
  return lines;
}

export function registerNoticeCommands(program: Command, ctx: CommandContext): void {
  const notice = program.command('notice').description('the campaign’s privacy notice');

  withJsonOption(
    notice
      .command('publish')
      .description('publish the privacy notice composed from the records (a new version if it changed)')
      .requiredOption('--by <email>', 'the account acting: the DPO or an owner (required)')
      .option('--campaign <id>', 'campaign id (needed when the account belongs to several)')
      .option('--lang <language>', 'en (default; Welsh follows when every section has Welsh text) or cy'),
  ).action(async (options: NoticeOptions) => {
    const out = begin(ctx, options, FIELD_OPTIONS);
    const result = await withRuntime(ctx.io, async ({ deps }) => {
      const by = await accountByEmail(deps, options.by, 'by');
      const campaignId = await campaignFor(deps, by.id, options.campaign);
      return publishPrivacyNotice(deps, { userId: by.id, via: 'cli' }, campaignId, {
        language: languageOf(options.lang),
      });
    });
    out.object(result);
    for (const line of describePublish(result)) out.line(line);
  });

  withJsonOption(
    notice
      .command('show')
      .description('print the published privacy notice (or an earlier version, or the next one with --preview)')
      .requiredOption('--by <email>', 'the account acting (required)')
      .option('--campaign <id>', 'campaign id (needed when the account belongs to several)')
      .option('--lang <language>', 'en (default) or cy')
      .option('--number <n>', 'a published version by its number (e.g. an earlier one)')
      .option('--preview', 'the notice as it would be published now, with what blocks it'),
  ).action(async (options: NoticeOptions & { number?: string; preview?: boolean }) => {
    const out = begin(ctx, options, FIELD_OPTIONS);
    const language = languageOf(options.lang);
    if (options.preview && options.number !== undefined) {
      throw invalid([{ field: 'version', message: 'choose --number or --preview, not both' }]);
    }
    const shown = await withRuntime(ctx.io, async ({ deps }) => {
      const by = await accountByEmail(deps, options.by, 'by');
      const principal = { userId: by.id, via: 'cli' as const };
      const campaignId = await campaignFor(deps, by.id, options.campaign);
      if (options.number !== undefined) {
        if (!/^[1-9]\d*$/.test(options.number)) {
          throw invalid([{ field: 'version', message: 'must be a version number (1, 2, …)' }]);
        }
        const version = await getPrivacyNoticeVersion(deps, principal, campaignId, {
          version: Number(options.number),
          language,
        });
        return { kind: 'version' as const, version };
      }
      const overview = await getPrivacyNoticeOverview(deps, principal, campaignId);
      return { kind: options.preview ? ('preview' as const) : ('current' as const), overview };
    });
    if (shown.kind === 'version') {
      out.object({ version: shown.version });
      out.line(`Version ${shown.version.version} (${shown.version.language}), published ${shown.version.publishedAt}`);
      out.line(`SHA-256 ${shown.version.sha256}`);
      out.line('');
      out.line(noticeAsText(shown.version.document));
      return;
    }
    const { overview } = shown;
    if (shown.kind === 'preview') {
      out.object({
        preview: overview.preview,
        published: overview.published.en ? { version: overview.published.en.version } : null,
      });
      out.line(
        overview.preview.changed
          ? `Next version (not published yet)${overview.published.en ? `; the published one is version ${overview.published.en.version}` : ''}`
          : `Unchanged from the published version ${overview.published.en?.version ?? ''}`.trim(),
      );
      for (const f of overview.preview.findings) {
        out.line(
          `${f.outcome === 'warn' ? 'warning' : 'blocks publishing'}: ${f.ruleId} (${f.citation}): ${f.explanation}`,
        );
      }
      out.line('');
      out.line(noticeAsText(overview.preview.document));
      return;
    }
    const current = language === 'cy' ? overview.published.cy : overview.published.en;
    out.object({ version: current, urls: overview.urls });
    if (!current) {
      out.line(
        language === 'cy'
          ? 'The current version is not published in Welsh.'
          : 'No privacy notice is published yet (see it with `canvass notice show --preview`, publish it with `canvass notice publish`).',
      );
      return;
    }
    out.line(`Version ${current.version} (${current.language}), published ${current.publishedAt}`);
    out.line(`Public address: ${language === 'cy' ? overview.urls.welsh : overview.urls.notice}`);
    out.line(`SHA-256 ${current.sha256}`);
    out.line('');
    out.line(noticeAsText(current.document));
  });
}
