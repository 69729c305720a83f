/**
 * The platform's removal file for pending removals (DM-REMOVE-FROM-LIVE-AUDIENCES). A removal
 * holds only hashes (computed when it was queued, before any erasure), while
 * writeAudienceFiles takes identifiers to normalize and hash; so removal files are laid out
 * here, by the same table (headers, file format, row limits, platform product, sources) and
 * with the writer's own file handling (createOutputDirectory, writeDurably, syncDirectory): a
 * new directory (0700), each file created exclusively with mode 0600 and fsynced, then the
 * manifest (the writer's manifest shape, `operation: "remove"`), then the directory fsynced.
 * Nothing partial is left on failure.
 *
 * CSV platforms: one column per hashed field, the platform's headers; a person with several
 * emails or phones takes several rows (any row matching removes them). Snap: one JSON request
 * body per identifier type, as for adds.
 */
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createOutputDirectory,
  MANIFEST_FILE,
  syncDirectory,
  writeDurably,
  type AudienceFileManifest,
  type ManifestFile,
} from '../audiences/audience-file-writer.js';
import {
  fieldRuleOf,
  NORMALIZATION_RULES_VERSION,
  PLATFORM_FILE_RULES,
  type AudienceField,
  type RuleSource,
} from '../domain/audiences/platform-rules.js';
import { AppError } from '../domain/errors.js';
import type { PlatformId } from '../domain/rules/platforms.js';

export interface WriteRemovalFilesOptions {
  platform: PlatformId;
  /** The hashed fields to write, in the platform's column order. */
  fields: readonly AudienceField[];
  audience: { id: string; name: string };
  staffMember: { id: string; name: string };
  /** Each removal's hashes by field. */
  removals: readonly Readonly<Record<string, readonly string[]>>[];
  directory: string;
  /** Removals by reason (objection, consent_withdrawn, erased), for the manifest. */
  reasons: Readonly<Record<string, number>>;
  now?: () => Date;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export async function writeRemovalFiles(options: WriteRemovalFilesOptions): Promise<AudienceFileManifest> {
  const now = options.now ?? ((): Date => new Date());
  const startedAt = now();
  const rules = PLATFORM_FILE_RULES[options.platform];
  const fields = rules.fields.map((r) => r.field).filter((f) => options.fields.includes(f));
  if (fields.length === 0) {
    throw new AppError('invalid_state', `no hashed identifier ${rules.product} can remove people by is exported`);
  }
  await createOutputDirectory(options.directory);
  const files: ManifestFile[] = [];
  let rowsWritten = 0;
  let skipped = 0;
  try {
    const maxRows = rules.limits.maxRowsPerFile ?? Number.POSITIVE_INFINITY;
    const base = `${options.platform}-remove-`;
    const emit = async (name: string, text: string, rows: number): Promise<void> => {
      await writeDurably(join(options.directory, name), text);
      files.push({ name, rows, bytes: Buffer.byteLength(text, 'utf8'), sha256: sha256(text) });
    };
    if (rules.format.kind === 'snap_json') {
      for (const field of fields) {
        const schema = fieldRuleOf(options.platform, field)!.header;
        const values = [...new Set(options.removals.flatMap((r) => r[field] ?? []))];
        for (let i = 0, n = 1; i < values.length; i += maxRows, n += 1) {
          const chunk = values.slice(i, i + maxRows);
          const body = JSON.stringify({ users: [{ schema: [schema], data: chunk.map((v) => [v]) }] });
          await emit(`${base}${field}-${String(n).padStart(4, '0')}.json`, body, chunk.length);
          rowsWritten += chunk.length;
        }
      }
    } else {
      const header = fields.map((f) => fieldRuleOf(options.platform, f)!.header).join(',');
      const rows: string[] = [];
      for (const removal of options.removals) {
        const depth = Math.max(0, ...fields.map((f) => removal[f]?.length ?? 0));
        if (depth === 0) skipped += 1;
        for (let i = 0; i < depth; i += 1) rows.push(fields.map((f) => removal[f]?.[i] ?? '').join(','));
      }
      for (let i = 0, n = 1; i < rows.length; i += maxRows, n += 1) {
        const chunk = rows.slice(i, i + maxRows);
        await emit(`${base}${String(n).padStart(4, '0')}.csv`, `${header}\n${chunk.join('\n')}\n`, chunk.length);
        rowsWritten += chunk.length;
      }
    }
    const sources = new Map<string, RuleSource>();
    for (const f of fields) for (const s of fieldRuleOf(options.platform, f)!.sources) sources.set(s.title, s);
    const manifest: AudienceFileManifest = {
      manifestVersion: 1,
      platform: options.platform,
      product: rules.product,
      operation: 'remove',
      audience: { ...options.audience },
      staffMember: { ...options.staffMember },
      startedAt: startedAt.toISOString(),
      completedAt: now().toISOString(),
      normalizationRulesVersion: NORMALIZATION_RULES_VERSION,
      hashing: { algorithm: 'SHA-256', encoding: 'lower-case hex', unicode: 'NFC, UTF-8' },
      columns: fields.map((f) => ({ field: f, header: fieldRuleOf(options.platform, f)!.header, hashed: true })),
      files,
      peopleRead: options.removals.length,
      rowsWritten,
      excluded: {},
      skipped: skipped > 0 ? { 'no hashed identifier kept for the removal': skipped } : {},
      blankFields: {},
      ruleDecisions: [
        {
          ruleId: 'DM-REMOVE-FROM-LIVE-AUDIENCES',
          outcome: 'require',
          explanation: `Remove ${options.removals.length} ${options.removals.length === 1 ? 'person' : 'people'} from the audience on the platform (${Object.entries(
            options.reasons,
          )
            .map(([reason, n]) => `${reason.replaceAll('_', ' ')}: ${n}`)
            .join(', ')}); UK GDPR Art 21(3) and the platform's terms.`,
        },
      ],
      warnings: rowsWritten === 0 ? ['No rows were written: nothing can be removed from these hashes.'] : [],
      sources: [...sources.values()],
    };
    await writeDurably(join(options.directory, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
    await syncDirectory(options.directory);
    return manifest;
  } catch (error) {
    await rm(options.directory, { recursive: true, force: true });
    throw error;
  }
}
