/**
 * `canvass campaign create`: a campaign (a data controller) with an existing account as its
 * owner. The same use case as the dashboard's; the audit trail records the CLI as the actor.
 */
import type { Command } from 'commander';
import { createCampaign } from '../../app/campaigns.js';
import { CONTROLLER_TYPES } from '../../domain/campaign.js';
import { accountByEmail, begin, withJsonOption, type CommandContext } from '../command.js';
import { withRuntime } from '../runtime.js';

const FIELD_OPTIONS = {
  name: '--name',
  controllerType: '--type',
  postalAddress: '--address',
  icoRegistrationNumber: '--ico',
  dpo: '--dpo-name/--dpo-email',
  'dpo.name': '--dpo-name',
  'dpo.email': '--dpo-email',
  'dpo.phone': '--dpo-phone',
  owner: '--owner',
};

interface CreateOptions {
  name: string;
  type: string;
  address: string;
  ico?: string;
  dpoName?: string;
  dpoEmail?: string;
  dpoPhone?: string;
  owner: string;
  json?: boolean;
}

export function registerCampaignCommands(program: Command, ctx: CommandContext): void {
  const campaign = program.command('campaign').description('manage campaigns (each is a data controller)');

  withJsonOption(
    campaign
      .command('create')
      .description('create a campaign whose owner is an existing account')
      .requiredOption('--name <name>', 'the campaign’s name, as the public will see it (required)')
      .requiredOption('--type <type>', `controller type: ${CONTROLLER_TYPES.join(', ')} (required)`)
      .requiredOption('--address <address>', 'postal address of the controller (shown in privacy notices) (required)')
      .option('--ico <number>', 'ICO data protection fee registration number, e.g. ZA123456')
      .option('--dpo-name <name>', 'Data Protection Officer’s name (with --dpo-email)')
      .option('--dpo-email <email>', 'Data Protection Officer’s email (with --dpo-name)')
      .option('--dpo-phone <phone>', 'Data Protection Officer’s phone (optional)')
      .requiredOption('--owner <email>', 'email of the existing account that will own the campaign (required)'),
  )
    .addHelpText(
      'after',
      '\nExample:\n  canvass campaign create --name "Jo Bloggs for Anytown" --type candidate \\\n    --address "1 High Street, Anytown AN1 1AA" --owner jo@example.org',
    )
    .action(async (options: CreateOptions) => {
      const out = begin(ctx, options, FIELD_OPTIONS);
      await withRuntime(ctx.io, async ({ deps }) => {
        const owner = await accountByEmail(deps, options.owner, 'owner');
        const hasDpo =
          options.dpoName !== undefined || options.dpoEmail !== undefined || options.dpoPhone !== undefined;
        const created = await createCampaign(
          deps,
          { userId: owner.id, via: 'cli' },
          {
            name: options.name,
            controllerType: options.type,
            postalAddress: options.address,
            ...(options.ico !== undefined ? { icoRegistrationNumber: options.ico } : {}),
            ...(hasDpo
              ? {
                  dpo: {
                    name: options.dpoName,
                    email: options.dpoEmail,
                    ...(options.dpoPhone !== undefined ? { phone: options.dpoPhone } : {}),
                  },
                }
              : {}),
          },
        );
        out.object({ campaign: created, owner });
        out.line(`Created campaign "${created.name}" (${created.controllerType}).`);
        out.line(`  id:    ${created.id}`);
        out.line(`  owner: ${owner.email}`);
        out.line(
          `Invite staff with: canvass user invite --campaign ${created.id} --email <email> --role <role> --by ${owner.email}`,
        );
      });
    });
}
