/**
 * `canvass serve`: the whole application in one process (what `npm start` runs). With no
 * configuration at all it uses the embedded database in ./data and migrates it; while no
 * account exists it prints the one-time setup link. SIGINT/SIGTERM stop it gracefully.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { begin, type CommandContext } from '../command.js';
import { configOf } from '../runtime.js';

function parsePort(value: string): string {
  if (!/^\d+$/.test(value) || Number(value) > 65_535)
    throw new InvalidArgumentError('must be a port number from 0 to 65535');
  return value;
}

/** Resolves on SIGINT, SIGTERM or the abort of `signal`; a second signal exits at once. */
function shutdownRequested(
  signal: AbortSignal | undefined,
  onForced: () => void,
): { done: Promise<string>; dispose(): void } {
  let resolve!: (reason: string) => void;
  const done = new Promise<string>((r) => (resolve = r));
  let requested = false;
  const onSignal = (name: NodeJS.Signals): void => {
    if (requested) return onForced();
    requested = true;
    resolve(name);
  };
  const onAbort = (): void => {
    requested = true;
    resolve('abort');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  return {
    done,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

export function registerServeCommand(program: Command, ctx: CommandContext): void {
  program
    .command('serve')
    .description('run the Canvass server: API, dashboard and job runner')
    .option('--port <port>', 'port to listen on (default: PORT, else 3000; 0 picks a free one)', parsePort)
    .option('--host <host>', 'address to listen on (default: HOST, else localhost; 0.0.0.0 for all)')
    .addHelpText(
      'after',
      '\nConfiguration comes from environment variables (see docs): DATABASE_URL (PostgreSQL; without it the\n' +
        'embedded database lives in CANVASS_DATA_DIR, default ./data), PUBLIC_URL, LOG_LEVEL, TRUST_PROXY, JOBS.',
    )
    .action(async (options: { port?: string; host?: string }) => {
      const out = begin(ctx, {});
      const config = configOf(ctx.io, {
        ...(options.port !== undefined ? { PORT: options.port } : {}),
        ...(options.host !== undefined ? { HOST: options.host } : {}),
      });
      const shutdown = shutdownRequested(ctx.io.signal, () => {
        ctx.io.stderr.write('Stopping at once.\n');
        process.exit(1);
      });
      try {
        // Loaded here, so that other commands do not load the HTTP server and job queue.
        const { startServer } = await import('../server.js');
        const running = await startServer(config, {
          ...(ctx.io.db ? { db: ctx.io.db } : {}),
          note: (line) => out.note(line),
        });
        out.line(`Canvass is running at ${running.url}`);
        if (running.setupLink) {
          out.line(`Open this one-time setup link to create the first owner and campaign: ${running.setupLink}`);
        }
        const reason = await shutdown.done;
        out.note(`Shutting down (${reason === 'abort' ? 'stop requested' : reason})…`);
        await running.stop();
        out.note('Stopped.');
      } finally {
        shutdown.dispose();
      }
    });
}
