/**
 * `canvass import FILE`: imports a CSV of people into a campaign, running the import job in
 * this process with a progress bar on stderr (on a terminal). The file stays where it is;
 * the job checks its SHA-256 before reading it, and again when it resumes.
 *
 * Without --map the suggested mapping is used (and printed). A refused import prints each
 * rule finding and exits 1. If the process is killed, the import stays 'running' at its
 * last committed batch: `canvass import resume IMPORT_ID` (or a running `canvass serve`)
 * finishes it, once the killed run's lease has run out (about a minute).
 *
 * `canvass import report IMPORT_ID --out FILE` writes the report CSV (audited).
 */
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { AppDeps, Principal } from '../../app/context.js';
import { createPathImport, getImport, openImportReport, type ImportView } from '../../app/imports.js';
import { listSources } from '../../app/sources.js';
import { invalid } from '../../domain/errors.js';
import type { Finding } from '../../domain/rules/rule.js';
import { parseMapArguments, type ColumnMappingEntry } from '../../imports/column-mapping.js';
import { JOBS } from '../../jobs/registry.js';
import { createJobRunner, type JobRunner } from '../../jobs/runner.js';
import { accountByEmail, begin, campaignIdOf, withJsonOption, type CommandContext } from '../command.js';
import type { Output } from '../io.js';
import { installJobs } from '../job-schema.js';
import { withRuntime, type CommandRuntime } from '../runtime.js';

const FIELD_OPTIONS = {
  campaign: '--campaign',
  by: '--by',
  sourceId: '--source',
  mapping: '--map',
  collectedAt: '--collected-at',
  file: 'FILE',
};

interface ImportOptions {
  campaign: string;
  by: string;
  source: string;
  map?: string[];
  collectedAt?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** --source takes a source id or its name (case-insensitive). */
async function sourceIdOf(deps: AppDeps, principal: Principal, campaignId: string, value: string): Promise<string> {
  const sources = await listSources(deps, principal, campaignId);
  const wanted = value.trim().toLowerCase();
  const found = sources.find((s) => (UUID.test(wanted) ? s.id === wanted : s.name.toLowerCase() === wanted));
  if (!found) {
    throw invalid([
      {
        field: 'sourceId',
        message: `no source ${UUID.test(wanted) ? 'with this id' : 'with this name'} in the campaign (see \`canvass source list\`)`,
      },
    ]);
  }
  return found.id;
}

function printFindings(out: Output, findings: readonly Finding[], heading: string): void {
  if (findings.length === 0) return;
  out.line(heading);
  for (const f of findings) {
    out.line(`  ${f.ruleId} (${f.outcome}) — ${f.citation}`);
    out.line(`    ${f.explanation}`);
    if (f.remedy) out.line(`    To proceed: ${f.remedy}`);
  }
}

function printSummary(out: Output, view: ImportView, campaignId: string, by: string): void {
  const s = view.summary;
  out.line(`Import ${view.id}: ${view.status}`);
  if (s) {
    out.line(
      `  ${s.total} records: ${s.created} created, ${s.merged} merged, ${s.suppressed} suppressed, ${s.rejected} rejected, ${s.skipped} skipped`,
    );
    if (s.blankLines)
      out.line(`  ${s.blankLines} blank line${s.blankLines === 1 ? '' : 's'} (not records, not in the report)`);
  }
  out.line(`Report: canvass import report ${view.id} --campaign ${campaignId} --by ${by} --out report.csv`);
}

/** A runner for this process, working the import queue until the import ends. */
async function startRunner(runtime: CommandRuntime): Promise<JobRunner> {
  await installJobs(runtime.db, runtime.db.kind === 'pglite' ? 'owner' : 'app');
  const runner = createJobRunner({
    db: runtime.db,
    jobs: JOBS,
    pollIntervalMs: 200,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  await runner.start();
  return runner;
}

async function follow(
  ctx: CommandContext,
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  importId: string,
): Promise<ImportView> {
  let bar: SingleBar | null = null;
  try {
    for (;;) {
      const view = await getImport(deps, principal, campaignId, importId);
      if (view.progress && ctx.io.stderr.isTTY) {
        const total = Math.max(view.progress.total ?? 0, view.progress.done, 1);
        if (!bar) {
          bar = new SingleBar(
            {
              stream: ctx.io.stderr,
              format: 'importing [{bar}] {percentage}% | {value}/{total} records | ETA {eta_formatted}',
              hideCursor: true,
            },
            Presets.shades_classic,
          );
          bar.start(total, 0);
        }
        bar.setTotal(total);
        bar.update(view.progress.done);
      }
      if (['completed', 'failed', 'cancelled', 'refused'].includes(view.status)) return view;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    bar?.stop();
  }
}

export function registerImportCommands(program: Command, ctx: CommandContext): void {
  const command = program
    .command('import')
    .description('import a CSV of people: canvass import FILE …; also import report, import resume');
  withJsonOption(
    command
      .command('run [file]', { isDefault: true })
      .description('import a CSV of people (`canvass import FILE …` is short for `canvass import run FILE …`)')
      .option('--campaign <id>', 'campaign id (required)')
      .option('--by <email>', 'the account acting (required)')
      .option('--source <id|name>', 'the source the file comes from (required)')
      .option('--map <column=field>', 'map a column to a field (repeatable); default: the suggested mapping', collect)
      .option('--collected-at <iso>', 'when the data was collected (default: now)'),
  )
    .addHelpText(
      'after',
      '\nFields: email, phone, first_name, last_name, full_name, address_line1..3, town, postcode, tag, list, note, attribute:<name>.\n' +
        'Example:\n  canvass import supporters.csv --campaign C --by me@example.org --source "Web sign-ups" \\\n' +
        '    --map "E-mail=email" --map "Mobile=phone" --map "Ward=attribute:ward"',
    )
    .action(async (file: string | undefined, options: ImportOptions) => {
      const out = begin(ctx, options, FIELD_OPTIONS);
      const missing = [
        ...(file ? [] : [{ field: 'file', message: 'give the CSV file to import' }]),
        ...(options.campaign ? [] : [{ field: 'campaign', message: 'is required' }]),
        ...(options.by ? [] : [{ field: 'by', message: 'is required' }]),
        ...(options.source ? [] : [{ field: 'sourceId', message: 'is required' }]),
      ];
      if (missing.length > 0) throw invalid(missing);
      const campaignId = campaignIdOf(options.campaign);
      let mapping: ColumnMappingEntry[] | undefined;
      if (options.map && options.map.length > 0) {
        const parsed = parseMapArguments(options.map);
        if (!parsed.ok) {
          throw invalid(parsed.issues.map((i) => ({ field: 'mapping', message: `${i.column}: ${i.message}` })));
        }
        mapping = parsed.value;
      }
      await withRuntime(ctx.io, async (runtime) => {
        const { deps } = runtime;
        const by = await accountByEmail(deps, options.by, 'by');
        const principal: Principal = { userId: by.id, via: 'cli' };
        const sourceId = await sourceIdOf(deps, principal, campaignId, options.source);
        const runner = await startRunner(runtime);
        try {
          const created = await createPathImport(
            deps,
            principal,
            campaignId,
            {
              path: resolve(file!),
              sourceId,
              mapping,
              ...(options.collectedAt !== undefined ? { collectedAt: options.collectedAt } : {}),
            },
            runner,
          );
          if (!mapping) {
            out.line('Mapping (suggested from the header; change it with --map column=field):');
            for (const m of created.import.mapping) out.line(`  ${m.column} → ${m.field}`);
            const unmapped = created.preview.header.filter((h) => !created.import.mapping.some((m) => m.column === h));
            if (unmapped.length > 0) out.line(`  not imported: ${unmapped.join(', ')}`);
          }
          if (created.import.status === 'refused') {
            out.object({ import: created.import });
            out.line(`Import ${created.import.id} was refused.`);
            printFindings(out, created.import.decisions, 'Findings:');
            ctx.state.exitCode = 1;
            return;
          }
          printFindings(out, created.import.decisions, 'Warnings (recorded in the audit trail):');
          const view = await follow(ctx, deps, principal, campaignId, created.import.id);
          out.object({ import: view });
          printSummary(out, view, campaignId, options.by);
          if (view.status !== 'completed') ctx.state.exitCode = 1;
        } finally {
          await runner.stop({ graceful: false });
        }
      });
    });

  withJsonOption(
    command
      .command('report')
      .description('write an import’s report CSV (one line per input record); the download is audited')
      .argument('<importId>', 'the import id')
      .requiredOption('--campaign <id>', 'campaign id (required)')
      .requiredOption('--by <email>', 'the account acting (required)')
      .requiredOption('--out <file>', 'where to write the CSV ("-" for stdout)'),
  ).action(async (importId: string, options: { campaign: string; by: string; out: string; json?: boolean }) => {
    const out = begin(ctx, options, FIELD_OPTIONS);
    const campaignId = campaignIdOf(options.campaign);
    if (!UUID.test(importId)) throw invalid([{ field: 'importId', message: 'must be an import id (a UUID)' }]);
    await withRuntime(ctx.io, async ({ deps }) => {
      const by = await accountByEmail(deps, options.by, 'by');
      const report = await openImportReport(deps, { userId: by.id, via: 'cli' }, campaignId, importId.toLowerCase());
      if (options.out === '-') {
        for await (const chunk of report.stream) ctx.io.stdout.write(chunk as string);
        return;
      }
      await pipeline(report.stream, createWriteStream(options.out));
      out.object({ importId, out: options.out });
      out.line(`Wrote the report of import ${importId} to ${options.out}`);
    });
  });

  withJsonOption(
    command
      .command('resume')
      .description('finish an import whose process was killed (runs the job queue until it ends)')
      .argument('<importId>', 'the import id')
      .requiredOption('--campaign <id>', 'campaign id (required)')
      .requiredOption('--by <email>', 'the account acting (required)'),
  ).action(async (importId: string, options: { campaign: string; by: string; json?: boolean }) => {
    const out = begin(ctx, options, FIELD_OPTIONS);
    const campaignId = campaignIdOf(options.campaign);
    if (!UUID.test(importId)) throw invalid([{ field: 'importId', message: 'must be an import id (a UUID)' }]);
    await withRuntime(ctx.io, async (runtime) => {
      const by = await accountByEmail(runtime.deps, options.by, 'by');
      const principal: Principal = { userId: by.id, via: 'cli' };
      const runner = await startRunner(runtime);
      try {
        out.note('Waiting for the interrupted run to expire, then resuming from its last committed batch…');
        const view = await follow(ctx, runtime.deps, principal, campaignId, importId.toLowerCase());
        out.object({ import: view });
        printSummary(out, view, campaignId, options.by);
        if (view.status !== 'completed') ctx.state.exitCode = 1;
      } finally {
        await runner.stop({ graceful: false });
      }
    });
  });
}
