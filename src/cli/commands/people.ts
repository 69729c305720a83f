/**
 * `canvass people find`: search a campaign's people as a member of it (--by), with the same
 * filters as GET /people. Prints one line per person, or the page as JSON.
 */
import type { Command } from 'commander';
import { listPeople } from '../../app/people.js';
import { invalid } from '../../domain/errors.js';
import { accountByEmail, begin, campaignIdOf, withJsonOption, type CommandContext } from '../command.js';
import { withRuntime } from '../runtime.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A person id from --person; validation_failed naming the option when it is not a UUID. */
export function personIdOf(value: string): string {
  const id = value.trim().toLowerCase();
  if (!UUID.test(id))
    throw invalid([{ field: 'person', message: 'must be a person id (a UUID, as printed by `canvass people find`)' }]);
  return id;
}

interface FindOptions {
  campaign: string;
  by: string;
  q?: string;
  email?: string;
  phone?: string;
  name?: string;
  postcode?: string;
  tag?: string;
  list?: string;
  source?: string;
  consentChannel?: string;
  consent?: string;
  objection?: string;
  limit?: string;
  after?: string;
  json?: boolean;
}

const FIELD_OPTIONS = {
  q: '--q',
  email: '--email',
  phone: '--phone',
  name: '--name',
  postcode: '--postcode',
  tag: '--tag',
  list: '--list',
  sourceId: '--source',
  consentChannel: '--consent-channel',
  consent: '--consent',
  objection: '--objection',
  limit: '--limit',
  after: '--after',
  by: '--by',
  campaign: '--campaign',
};

export function registerPeopleCommands(program: Command, ctx: CommandContext): void {
  const people = program.command('people').description("a campaign's supporter database");

  withJsonOption(
    people
      .command('find')
      .description('search people, newest first (every filter given must match)')
      .requiredOption('--campaign <id>', 'campaign id (required)')
      .requiredOption('--by <email>', 'your account: the search runs with your role in the campaign (required)')
      .option('--q <text>', 'an email, a phone number, a postcode or the start of a surname')
      .option('--email <email>', 'email (a full address, or the start of one)')
      .option('--phone <phone>', 'phone number, any common format')
      .option('--name <name>', 'start of the surname, or "first last"')
      .option('--postcode <postcode>', 'postcode, or its outward part (e.g. SW1A)')
      .option('--tag <name>', 'tag name')
      .option('--list <name>', 'list name')
      .option('--source <id>', 'source id')
      .option('--consent-channel <channel>', 'with --consent: the channel (email, sms, phone, post, …)')
      .option('--consent <state>', 'granted, withdrawn or none')
      .option('--objection <state>', 'objected or not_objected')
      .option('--limit <n>', 'people per page (1–200, default 50)')
      .option('--after <cursor>', 'the nextCursor of the previous page'),
  ).action(async (options: FindOptions) => {
    const out = begin(ctx, options, FIELD_OPTIONS);
    const campaignId = campaignIdOf(options.campaign);
    await withRuntime(ctx.io, async ({ deps }) => {
      const by = await accountByEmail(deps, options.by, 'by');
      const query: Record<string, unknown> = {};
      const set = (key: string, value: string | undefined): void => {
        if (value !== undefined) query[key] = value;
      };
      set('q', options.q);
      set('email', options.email);
      set('phone', options.phone);
      set('name', options.name);
      set('postcode', options.postcode);
      set('tag', options.tag);
      set('list', options.list);
      set('sourceId', options.source);
      set('consentChannel', options.consentChannel);
      set('consent', options.consent);
      set('objection', options.objection);
      set('limit', options.limit);
      set('after', options.after);
      const page = await listPeople(deps, { userId: by.id, via: 'cli' }, campaignId, query);
      out.object(page);
      if (page.people.length === 0) out.line('No one matches.');
      for (const p of page.people) {
        const name = [p.firstName, p.lastName].filter(Boolean).join(' ') || '(no name)';
        const flags = [
          p.objected ? 'OBJECTED' : null,
          p.art14Status !== 'not_applicable' ? `art14:${p.art14Status}` : null,
        ]
          .filter(Boolean)
          .join(' ');
        out.line(
          [p.id, name, p.email ?? '-', p.phone ?? '-', p.postcode ?? '-', flags].filter((x) => x !== '').join('  '),
        );
      }
      if (page.nextCursor) out.line(`More: add --after ${page.nextCursor}`);
    });
  });
}
