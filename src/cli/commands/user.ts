/**
 * `canvass user create` and `canvass user invite`. A password is never taken as an argument
 * (shell history and process lists would keep it) and never printed; the invitation link
 * is printed once, because handing it over is what the command is for.
 */
import { Option, type Command } from 'commander';
import { inviteMember } from '../../app/invitations.js';
import { createUser } from '../../app/users.js';
import { ROLES } from '../../domain/permissions.js';
import { accountByEmail, begin, campaignIdOf, withJsonOption, type CommandContext } from '../command.js';
import { usageError } from '../io.js';
import { readNewPassword } from '../password.js';
import { withRuntime } from '../runtime.js';

interface CreateOptions {
  email: string;
  name: string;
  passwordStdin?: boolean;
  password?: string | boolean;
  json?: boolean;
}

interface InviteOptions {
  campaign: string;
  email: string;
  role: string;
  by: string;
  json?: boolean;
}

export function registerUserCommands(program: Command, ctx: CommandContext): void {
  const user = program.command('user').description('manage staff accounts');

  withJsonOption(
    user
      .command('create')
      .description('create a staff account (it joins campaigns by invitation or as a campaign’s owner)')
      .requiredOption('--email <email>', 'sign-in email (required)')
      .requiredOption('--name <name>', 'display name (required)')
      .option('--password-stdin', 'read the password from the first line of stdin (otherwise you are prompted)')
      // Declared only to refuse it with an explanation, without echoing the value.
      .addOption(new Option('--password [password]').hideHelp()),
  )
    .addHelpText(
      'after',
      '\nThe password is at least 12 characters. It is never taken as an argument: type it at the\n' +
        'prompt, or pipe it in:\n  printf \'%s\\n\' "$PASSWORD" | canvass user create --email jo@example.org --name "Jo Bloggs" --password-stdin',
    )
    .action(async (options: CreateOptions) => {
      const out = begin(ctx, options, { email: '--email', displayName: '--name' });
      if (options.password !== undefined) {
        throw usageError(
          'a password is never taken as an argument (shell history and process lists would keep it): use --password-stdin, or leave it out to be prompted',
        );
      }
      const password = await readNewPassword(ctx.io, options.passwordStdin === true);
      await withRuntime(ctx.io, async ({ deps }) => {
        const created = await createUser(deps, { email: options.email, displayName: options.name, password });
        out.object({ user: created });
        out.line(`Created account ${created.email} ("${created.displayName}").`);
        out.line(`  id: ${created.id}`);
      });
    });

  withJsonOption(
    user
      .command('invite')
      .description('invite someone to a campaign and print the invitation link (shown once)')
      .requiredOption('--campaign <id>', 'campaign id (required)')
      .requiredOption('--email <email>', 'email of the person to invite (required)')
      .requiredOption('--role <role>', `their role: ${ROLES.join(', ')} (required)`)
      .requiredOption(
        '--by <email>',
        'email of the inviting member (needs a role that may invite to this role) (required)',
      ),
  ).action(async (options: InviteOptions) => {
    const out = begin(ctx, options, { campaign: '--campaign', email: '--email', role: '--role', by: '--by' });
    const campaignId = campaignIdOf(options.campaign);
    await withRuntime(ctx.io, async ({ deps }) => {
      const inviter = await accountByEmail(deps, options.by, 'by');
      const result = await inviteMember(deps, { userId: inviter.id, via: 'cli' }, campaignId, {
        email: options.email,
        role: options.role,
      });
      out.object({ invitation: result.invitation, acceptUrl: result.acceptUrl });
      out.line(`Invited ${result.invitation.email} as ${result.invitation.role}.`);
      out.line(
        `Send them this link; it is shown only now and works until ${result.invitation.expiresAt.toISOString()}:`,
      );
      out.line(`  ${result.acceptUrl}`);
    });
  });
}
