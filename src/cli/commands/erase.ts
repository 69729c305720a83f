/**
 * `canvass erase`: erases a person (Art 17). An objector's suppression entries are kept and
 * the output says how many. Asks for confirmation on a terminal; elsewhere --yes is required.
 */
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { erasePerson } from '../../app/erasure.js';
import { accountByEmail, begin, campaignIdOf, withJsonOption, type CommandContext } from '../command.js';
import { CliError, usageError } from '../io.js';
import { withRuntime } from '../runtime.js';
import { personIdOf } from './people.js';

interface EraseOptions {
  campaign: string;
  by: string;
  person: string;
  reason: string;
  yes?: boolean;
  json?: boolean;
}

async function confirm(ctx: CommandContext, personId: string): Promise<boolean> {
  const stdin = ctx.io.stdin ?? process.stdin;
  if (!stdin.isTTY) return false;
  const rl = createInterface({ input: stdin, output: ctx.io.stderr });
  try {
    const answer = await rl.question(`Erase person ${personId}? This cannot be undone. Type "erase" to confirm: `);
    return answer.trim() === 'erase';
  } finally {
    rl.close();
  }
}

export function registerEraseCommand(program: Command, ctx: CommandContext): void {
  withJsonOption(
    program
      .command('erase')
      .description(
        "erase a person's data (Art 17); an objector's suppression entries (keyed hashes) are kept so they are never imported again",
      )
      .requiredOption('--campaign <id>', 'campaign id (required)')
      .requiredOption('--by <email>', 'your account (required)')
      .requiredOption('--person <id>', 'the person to erase (required)')
      .requiredOption('--reason <text>', 'why, e.g. "erasure request received 2026-11-29" (required)')
      .option('--yes', 'do not ask for confirmation (required when not on a terminal)'),
  ).action(async (options: EraseOptions) => {
    const out = begin(ctx, options, { reason: '--reason', by: '--by', campaign: '--campaign', person: '--person' });
    const campaignId = campaignIdOf(options.campaign);
    const personId = personIdOf(options.person);
    if (options.yes !== true) {
      const stdin = ctx.io.stdin ?? process.stdin;
      if (!stdin.isTTY) throw usageError('erasure cannot be undone: add --yes to confirm when not on a terminal');
      if (!(await confirm(ctx, personId))) throw new CliError('bad_request', 'not confirmed: nothing was erased');
    }
    await withRuntime(ctx.io, async ({ deps }) => {
      const by = await accountByEmail(deps, options.by, 'by');
      const result = await erasePerson(deps, { userId: by.id, via: 'cli' }, campaignId, personId, {
        reason: options.reason,
      });
      out.object(result);
      out.line(result.message);
      out.line(`Erasure record: ${result.erasureId}`);
    });
  });
}
