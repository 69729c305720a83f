/**
 * The writer's COPY text input (copyText) writes exactly the files and manifest its person
 * objects input writes, for every platform: canonical values (the byte fast paths) and messy
 * ones (Unicode, titles, escaped tabs, newlines and backslashes, NULLs, empty strings, invalid
 * values), split into chunks anywhere, with further identifiers as JSON arrays; and a malformed
 * row is refused with its row number.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PLATFORM_FILE_RULES, type AudienceField } from '../domain/audiences/platform-rules.js';
import { AppError } from '../domain/errors.js';
import { PLATFORMS, type PlatformId } from '../domain/rules/platforms.js';
import {
  writeAudienceFiles,
  type AudienceFileManifest,
  type AudiencePerson,
  type CopyColumn,
  type WriteAudienceFilesOptions,
} from './audience-file-writer.js';

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'canvass-copy-input-test-'));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const COLUMNS: CopyColumn[] = [
  'email',
  'phone',
  'first_name',
  'last_name',
  'postcode',
  'country',
  'other_emails',
  'other_phones',
];

/** A value as COPY text writes it. */
function copyValue(value: string | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  return value.replace(/[\\\t\n\r\b\f\v]/g, (c) =>
    c === '\\'
      ? '\\\\'
      : c === '\t'
        ? '\\t'
        : c === '\n'
          ? '\\n'
          : c === '\r'
            ? '\\r'
            : c === '\b'
              ? '\\b'
              : c === '\f'
                ? '\\f'
                : '\\v',
  );
}

function copyText(people: readonly AudiencePerson[]): string {
  return people
    .map((p) =>
      [
        p.email,
        p.phone,
        p.firstName,
        p.lastName,
        p.postcode,
        p.country,
        p.otherEmails?.length ? JSON.stringify(p.otherEmails) : null,
        p.otherPhones?.length ? JSON.stringify(p.otherPhones) : null,
      ]
        .map(copyValue)
        .join('\t'),
    )
    .join('\n')
    .concat(people.length > 0 ? '\n' : '');
}

/** The text's bytes cut at the given offsets. */
function chunksOf(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const cut of at) {
    chunks.push(bytes.subarray(from, cut));
    from = cut;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

const common = (directory: string, platform: PlatformId): Omit<WriteAudienceFilesOptions, 'people' | 'copyText'> => ({
  platform,
  fields: PLATFORM_FILE_RULES[platform].fields.map((r) => r.field),
  audience: { id: '6f1c1f4e-0000-4000-8000-000000000001', name: 'Supporters' },
  staffMember: { id: '6f1c1f4e-0000-4000-8000-0000000000aa', name: 'Dee Pio' },
  directory,
  excluded: { 'objected (DM-OBJECTION-ABSOLUTE)': 1 },
  ruleDecisions: [{ ruleId: 'DM-OBJECTION-ABSOLUTE', outcome: 'allow', explanation: 'Objectors excluded.' }],
  hashing: 'inline',
  now: () => new Date('2026-11-29T10:00:00Z'),
});

async function filesOf(manifest: AudienceFileManifest, directory: string): Promise<string[]> {
  return Promise.all(manifest.files.map((f) => readFile(join(directory, f.name), 'utf8')));
}

/** Writes the people both ways; expects the same files and manifest. */
async function compare(
  platform: PlatformId,
  people: AudiencePerson[],
  cuts: number[],
  extra: Partial<WriteAudienceFilesOptions> = {},
): Promise<AudienceFileManifest> {
  const run = `${platform}-${Math.random().toString(36).slice(2)}`;
  const objects = await writeAudienceFiles({ ...common(join(base, `${run}-objects`), platform), people, ...extra });
  const bytes = Buffer.from(copyText(people), 'utf8');
  const copy = await writeAudienceFiles({
    ...common(join(base, `${run}-copy`), platform),
    copyText: { columns: COLUMNS, chunks: chunksOf(bytes, cuts) },
    ...extra,
  });
  expect(copy.manifest).toEqual(objects.manifest);
  expect(await filesOf(copy.manifest, copy.directory)).toEqual(await filesOf(objects.manifest, objects.directory));
  return copy.manifest;
}

const canonical = (n: number): AudiencePerson => ({
  email: `person.${n}+tag@${n % 2 === 0 ? 'gmail.com' : 'example.co.uk'}`,
  phone: `+4479${String(n % 10)}0${String(100000 + n).slice(-6)}`,
  firstName: ['Mary', "O'Brien", 'Smith-Jones', 'KWAME'][n % 4]!,
  lastName: ['Evans', 'Zoë', 'Dr Jo', 'Ó Súilleabháin'][n % 4]!,
  postcode: ['SW1A 1AA', 'sw1a1aa', 'M1 1AE', 'GIR 0AA', 'CF10 1AA'][n % 5]!,
  country: [null, 'GB', 'uk', 'FR', 'JE', 'ZZ', ''][n % 7]!,
});

const MESSY: AudiencePerson[] = [
  {
    email: 'Mary@Example.COM',
    phone: '+44 (0)20 7946 0018',
    firstName: 'Zoë',
    lastName: "O'Brien",
    postcode: 'sw1a 1aa',
  },
  {
    email: 'tab\there@example.org',
    phone: '0044 7900 123456',
    firstName: 'Line\nBreak',
    lastName: 'Back\\slash',
    postcode: 'EC1A\t1BB',
  },
  { email: '', phone: '', firstName: '', lastName: '', postcode: '', country: '' },
  { email: null, phone: null, firstName: null, lastName: null, postcode: null, country: null },
  { email: 'not an email', phone: 'n/a', firstName: '...', lastName: 'Smith Jr', postcode: '75001', country: 'FR' },
  {
    email: 'siân@example.org',
    phone: '07700 900123',
    firstName: 'Sia\u0302n',
    lastName: '=cmd',
    postcode: '12345-6789',
    country: 'US',
  },
  {
    email: '+news@gmail.com',
    otherEmails: ['Jo.Smith@gmail.com', 'josmith+x@gmail.com'],
    otherPhones: ['07900 654321'],
  },
  // Only a postcode (read by its fast path, queued for hashing) and no key to match on: skipped.
  { postcode: 'SW1A 1AA', lastName: 'Evans' },
  { email: `${'a'.repeat(60)}@${'b'.repeat(60)}.example.org`, phone: '+33 1 23 45 67 89', country: 'FR' },
];

describe('writeAudienceFiles: COPY text input', () => {
  it.each(PLATFORMS)('%s: the same files and manifest as person objects', async (platform) => {
    const people = [...MESSY, ...Array.from({ length: 300 }, (_, n) => canonical(n))];
    const manifest = await compare(platform, people, [1, 17, 500, 501, 502, 4000]);
    expect(manifest.peopleRead).toBe(people.length);
  });

  it('the same with several identifier columns (Google, from JSON arrays)', async () => {
    const manifest = await compare('google', [...MESSY, canonical(1), canonical(2)], [3], { identifierColumns: 3 });
    expect(manifest.columns.filter((c) => c.field === 'email')).toHaveLength(3);
  });

  it('the same on the hashing thread, split into files, for generated people and cuts', async () => {
    const text = fc.oneof(
      fc.constant(null),
      fc.string({ unit: fc.constantFrom(..."aZ9 .@+-'\\\t\néÓ".split('')), maxLength: 14 }),
      fc.string({ unit: 'grapheme-ascii', maxLength: 12 }),
    );
    const person = fc.record({
      email: fc.oneof(
        text,
        fc.integer({ min: 0, max: 999 }).map((n) => canonical(n).email!),
      ),
      phone: fc.oneof(
        text,
        fc.integer({ min: 0, max: 999 }).map((n) => canonical(n).phone!),
      ),
      firstName: text,
      lastName: text,
      postcode: fc.oneof(text, fc.constantFrom('SW1A 1AA', 'B1 1AA', 'sw1a1aa')),
      country: fc.oneof(fc.constant(null), fc.constantFrom('GB', 'FR', 'uk', 'X')),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(person, { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.constantFrom<PlatformId>('meta', 'google', 'snap'),
        fc.boolean(),
        async (people, cuts, platform, worker) => {
          await compare(platform, people, cuts, { hashing: worker ? 'worker' : 'inline', maxRowsPerFile: 7 });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses a row with the wrong number of columns, naming the row, and leaves no files', async () => {
    const directory = join(base, 'bad');
    const error = await writeAudienceFiles({
      ...common(directory, 'meta'),
      copyText: {
        columns: ['email', 'phone'],
        chunks: [Buffer.from('a@example.org\t+447900123456\nb@example.org\n')],
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message + JSON.stringify((error as AppError).details)).toContain(
      'row 2: 1 columns where 2',
    );
    await expect(readFile(join(directory, 'manifest.json'))).rejects.toThrow();
  });

  it('refuses input that ends inside a row, and unknown or repeated columns', async () => {
    const ends = await writeAudienceFiles({
      ...common(join(base, 'cut'), 'meta'),
      copyText: { columns: ['email'], chunks: [Buffer.from('a@example.org\nb@exa')] },
    }).catch((e: unknown) => e);
    expect(JSON.stringify((ends as AppError).details)).toContain('row 2: the input ends inside the row');
    const columns = await writeAudienceFiles({
      ...common(join(base, 'cols'), 'meta'),
      copyText: { columns: ['email', 'email', 'shoe_size' as AudienceField], chunks: [] },
    }).catch((e: unknown) => e);
    expect(JSON.stringify((columns as AppError).details)).toContain('shoe_size is not one of');
    expect(JSON.stringify((columns as AppError).details)).toContain('a column is listed twice');
  });
});
