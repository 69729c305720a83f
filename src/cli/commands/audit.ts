/**
 * `canvass audit verify`: recomputes a campaign's hash chain and names the first event that
 * was altered, inserted or is missing. Exit 0 when intact, 1 when not, so a cron job or CI
 * step can alert on it.
 */
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { verifyAuditTrail } from '../../app/audit.js';
import type { ChainVerification } from '../../domain/audit.js';
import { begin, campaignIdOf, withJsonOption, type CommandContext } from '../command.js';
import type { Output } from '../io.js';
import { withRuntime } from '../runtime.js';

interface VerifyOptions {
  campaign: string;
  json?: boolean;
}

function describeProblem(out: Output, campaignId: string, result: ChainVerification): void {
  const problem = result.problem;
  if (!problem) return;
  out.line(`FAILED: the audit trail of campaign ${campaignId} is broken at event ${problem.seq} (${problem.kind})`);
  out.line(`  kind:     ${problem.kind}`);
  out.line(`  seq:      ${problem.seq}`);
  out.line(`  event id: ${problem.eventId ?? '(none: the event is not in the table)'}`);
  out.line(`  problem:  ${problem.message}`);
  out.line(
    `  ${result.eventsChecked} event${result.eventsChecked === 1 ? '' : 's'} before it verified; the recorded head of the chain is event ${result.headSeq}.`,
  );
}

/**
 * A progress bar on stderr for a long chain, only on a terminal. verifyAuditTrail reports
 * after each batch of events, so a short chain finishes before the first report.
 */
function progressBar(ctx: CommandContext): {
  update: (p: { eventsChecked: number; headSeq: number }) => void;
  stop(): void;
} {
  let bar: SingleBar | null = null;
  return {
    update({ eventsChecked, headSeq }) {
      if (!ctx.io.stderr.isTTY) return;
      if (!bar) {
        bar = new SingleBar(
          {
            stream: ctx.io.stderr,
            format: 'verifying [{bar}] {percentage}% | {value}/{total} events | ETA {eta_formatted}',
            hideCursor: true,
          },
          Presets.shades_classic,
        );
        bar.start(headSeq, 0);
      }
      bar.update(eventsChecked);
    },
    stop() {
      bar?.stop();
    },
  };
}

export function registerAuditCommands(program: Command, ctx: CommandContext): void {
  const audit = program.command('audit').description('the tamper-evident audit trail of a campaign');

  withJsonOption(
    audit
      .command('verify')
      .description('check that no audit event was altered, inserted or deleted (exit 1 if one was)')
      .requiredOption('--campaign <id>', 'campaign id (required)'),
  ).action(async (options: VerifyOptions) => {
    const out = begin(ctx, options, { campaign: '--campaign' });
    const campaignId = campaignIdOf(options.campaign);
    const progress = progressBar(ctx);
    const result = await withRuntime(ctx.io, async ({ db }) => {
      try {
        return await verifyAuditTrail(db, campaignId, { onProgress: progress.update });
      } finally {
        progress.stop();
      }
    });
    out.object({ campaignId, ...result });
    if (result.ok) {
      out.line(`ok: ${result.eventsChecked} event${result.eventsChecked === 1 ? '' : 's'} verified`);
    } else {
      describeProblem(out, campaignId, result);
      ctx.state.exitCode = 1;
    }
  });
}
