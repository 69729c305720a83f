/**
 * `canvass source create|list`: the sources a campaign's personal data comes from, with the
 * lawful basis and the duties each carries (the same use cases as the dashboard's).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createSource, listSources } from '../../app/sources.js';
import { invalid } from '../../domain/errors.js';
import { SOURCE_TYPES, type Source } from '../../domain/sources.js';
import { accountByEmail, begin, campaignIdOf, withJsonOption, type CommandContext } from '../command.js';
import { withRuntime } from '../runtime.js';

const FIELD_OPTIONS = {
  name: '--name',
  type: '--type',
  description: '--description',
  collectionPurpose: '--purpose',
  lawfulBasis: '--lawful-basis',
  lawfulBasisNote: '--lawful-basis-note',
  art9Condition: '--art9-condition',
  dueDiligence: '--due-diligence-json',
  art14Plan: '--art14-plan',
  compatibilityAssessment: '--compatibility-assessment',
  campaign: '--campaign',
  by: '--by',
};

interface CreateOptions {
  campaign: string;
  by: string;
  name: string;
  type: string;
  description?: string;
  purpose?: string;
  lawfulBasis?: string;
  lawfulBasisNote?: string;
  art9Condition?: string;
  dueDiligenceJson?: string;
  art14Plan?: string;
  compatibilityAssessment?: string;
  json?: boolean;
}

/** --due-diligence-json takes JSON text or the path of a JSON file. */
function dueDiligenceOf(value: string): unknown {
  const text = value.trim().startsWith('{') ? value : readText(value);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalid([{ field: 'dueDiligence', message: 'is not valid JSON' }]);
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw invalid([{ field: 'dueDiligence', message: `cannot read the file ${path}` }]);
  }
}

export function describeSource(s: Source): string {
  return `${s.id}  ${s.name}  (${s.type}${s.thirdParty ? ', third party' : ''}; lawful basis: ${s.lawfulBasis ?? 'none recorded'})${s.archivedAt ? ' [archived]' : ''}`;
}

export function registerSourceCommands(program: Command, ctx: CommandContext): void {
  const source = program.command('source').description('the sources of a campaign’s personal data');

  withJsonOption(
    source
      .command('create')
      .description('record a source with its lawful basis and duties')
      .requiredOption('--campaign <id>', 'campaign id (required)')
      .requiredOption('--by <email>', 'the account acting (required)')
      .requiredOption('--name <name>', 'a name for the source (required)')
      .requiredOption('--type <type>', `source type: ${SOURCE_TYPES.join(', ')} (required)`)
      .option('--description <text>', 'what the source is')
      .option('--purpose <text>', 'what the data was originally collected for')
      .option(
        '--lawful-basis <basis>',
        'consent, contract, legal_obligation, vital_interests, public_task or legitimate_interests',
      )
      .option('--lawful-basis-note <text>', 'why the basis applies (the LIA for legitimate interests)')
      .option('--art9-condition <text>', 'the Art 9 condition for special category data')
      .option('--due-diligence-json <file|json>', 'the due-diligence record of a third-party source (JSON)')
      .option('--art14-plan <text>', 'how and when people get the Art 14 notice')
      .option('--compatibility-assessment <text>', 'the Art 6(4) assessment for reusing the data'),
  ).action(async (options: CreateOptions) => {
    const out = begin(ctx, options, FIELD_OPTIONS);
    const campaignId = campaignIdOf(options.campaign);
    const created = await withRuntime(ctx.io, async ({ deps }) => {
      const by = await accountByEmail(deps, options.by, 'by');
      return createSource(deps, { userId: by.id, via: 'cli' }, campaignId, {
        name: options.name,
        type: options.type,
        ...(options.description !== undefined ? { description: options.description } : {}),
        ...(options.purpose !== undefined ? { collectionPurpose: options.purpose } : {}),
        ...(options.lawfulBasis !== undefined ? { lawfulBasis: options.lawfulBasis } : {}),
        ...(options.lawfulBasisNote !== undefined ? { lawfulBasisNote: options.lawfulBasisNote } : {}),
        ...(options.art9Condition !== undefined ? { art9Condition: options.art9Condition } : {}),
        ...(options.dueDiligenceJson !== undefined ? { dueDiligence: dueDiligenceOf(options.dueDiligenceJson) } : {}),
        ...(options.art14Plan !== undefined ? { art14Plan: options.art14Plan } : {}),
        ...(options.compatibilityAssessment !== undefined
          ? { compatibilityAssessment: options.compatibilityAssessment }
          : {}),
      });
    });
    out.object({ source: created });
    out.line(`Created source ${describeSource(created)}`);
  });

  withJsonOption(
    source
      .command('list')
      .description('list the campaign’s sources')
      .requiredOption('--campaign <id>', 'campaign id (required)')
      .requiredOption('--by <email>', 'the account acting (required)'),
  ).action(async (options: { campaign: string; by: string; json?: boolean }) => {
    const out = begin(ctx, options, FIELD_OPTIONS);
    const campaignId = campaignIdOf(options.campaign);
    const sources = await withRuntime(ctx.io, async ({ deps }) => {
      const by = await accountByEmail(deps, options.by, 'by');
      return listSources(deps, { userId: by.id, via: 'cli' }, campaignId);
    });
    out.object({ sources });
    if (sources.length === 0) out.line('No sources yet (create one with `canvass source create`).');
    for (const s of sources) out.line(describeSource(s));
  });
}
