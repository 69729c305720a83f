/**
 * `canvass object`: records an objection to direct marketing (DM-OBJECTION-ABSOLUTE), for a
 * person by id or for raw identifiers of someone who may not be in the database. Each
 * identifier becomes a suppression entry that survives erasure.
 */
import type { Command } from 'commander';
import { recordObjection, recordObjectionByIdentifier } from '../../app/objections.js';
import { accountByEmail, begin, campaignIdOf, withJsonOption, type CommandContext } from '../command.js';
import { usageError } from '../io.js';
import { withRuntime } from '../runtime.js';
import { personIdOf } from './people.js';

interface ObjectOptions {
  campaign: string;
  by: string;
  person?: string;
  email?: string;
  phone?: string;
  name?: string;
  postcode?: string;
  method: string;
  note?: string;
  receivedAt?: string;
  json?: boolean;
}

const FIELD_OPTIONS = {
  email: '--email',
  phone: '--phone',
  name: '--name',
  postcode: '--postcode',
  method: '--method',
  note: '--note',
  receivedAt: '--received-at',
  person: '--person',
  by: '--by',
  campaign: '--campaign',
};

export function registerObjectCommand(program: Command, ctx: CommandContext): void {
  withJsonOption(
    program
      .command('object')
      .description(
        'record an objection to direct marketing: absolute, every channel, kept as suppression entries that survive erasure',
      )
      .requiredOption('--campaign <id>', 'campaign id (required)')
      .requiredOption('--by <email>', 'your account (required)')
      .option('--person <id>', 'the person, by id')
      .option('--email <email>', "the objector's email")
      .option('--phone <phone>', "the objector's phone number")
      .option('--name <name>', "the objector's full name (with --postcode)")
      .option('--postcode <postcode>', "the objector's postcode (with --name)")
      .requiredOption('--method <how>', 'how the objection arrived, e.g. email, phone, doorstep (required)')
      .option('--note <text>', 'a note')
      .option('--received-at <iso>', 'when it arrived (ISO 8601; default now)'),
  ).action(async (options: ObjectOptions) => {
    const out = begin(ctx, options, FIELD_OPTIONS);
    const campaignId = campaignIdOf(options.campaign);
    const byIdentifier =
      options.email !== undefined ||
      options.phone !== undefined ||
      options.name !== undefined ||
      options.postcode !== undefined;
    if (options.person !== undefined && byIdentifier) {
      throw usageError('give either --person, or identifiers (--email, --phone, --name with --postcode), not both');
    }
    if (options.person === undefined && !byIdentifier) {
      throw usageError('say who objects: --person ID, or --email, --phone, or --name with --postcode');
    }
    const base = {
      method: options.method,
      receivedAt: options.receivedAt ?? new Date().toISOString(),
      note: options.note ?? null,
    };
    await withRuntime(ctx.io, async ({ deps }) => {
      const by = await accountByEmail(deps, options.by, 'by');
      const principal = { userId: by.id, via: 'cli' as const };
      if (options.person !== undefined) {
        const personId = personIdOf(options.person);
        const result = await recordObjection(deps, principal, campaignId, personId, base);
        out.object({ ...result, peopleMarked: [personId] });
        out.line(`Objection recorded (${result.objectionId}) for person ${personId}.`);
        out.line(
          `${result.suppressionEntriesAdded} new suppression entr${result.suppressionEntriesAdded === 1 ? 'y' : 'ies'} added.`,
        );
        return;
      }
      const result = await recordObjectionByIdentifier(deps, principal, campaignId, {
        ...base,
        email: options.email ?? null,
        phone: options.phone ?? null,
        name: options.name ?? null,
        postcode: options.postcode ?? null,
      });
      out.object(result);
      out.line(`Objection recorded (${result.objectionId}).`);
      out.line(
        `${result.suppressionEntriesAdded} new suppression entr${result.suppressionEntriesAdded === 1 ? 'y' : 'ies'} added.`,
      );
      out.line(
        result.peopleMarked.length === 0
          ? 'No one held matches; these identifiers will be refused by every import and manual entry.'
          : `Marked objected: ${result.peopleMarked.join(', ')}`,
      );
    });
  });
}
