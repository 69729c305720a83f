/**
 * The audience file writer, writing into temporary directories: each platform's files against
 * a reference built cell by cell from the domain rules (encodeCell, node:crypto), on the
 * worker thread and inline; splitting at row and byte limits; the manifest; owner-only
 * permissions; formula neutralisation; refusals; and clean-up after a failure.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeCell } from '../domain/audiences/normalize.js';
import { PLATFORM_FILE_RULES, fieldRuleOf, type AudienceField } from '../domain/audiences/platform-rules.js';
import { AppError } from '../domain/errors.js';
import { PLATFORMS, type PlatformId } from '../domain/rules/platforms.js';
import {
  MANIFEST_FILE,
  SKIPPED_NO_MATCH_KEY,
  writeAudienceFiles,
  type AudienceFileManifest,
  type AudiencePerson,
  type RuleDecisionRecord,
  type WriteAudienceFilesOptions,
} from './audience-file-writer.js';

const ALLOWED: RuleDecisionRecord[] = [
  { ruleId: 'ONL-PLATFORM-ELIGIBILITY', outcome: 'allow', explanation: 'Political ads allowed with authorisation.' },
  { ruleId: 'DM-OBJECTION-ABSOLUTE', outcome: 'allow', explanation: 'Objectors excluded.' },
];

/** UK people as an import leaves them, and as staff type them. */
const PEOPLE: AudiencePerson[] = [
  {
    email: 'Mary@Example.com',
    phone: '+44 (0)20 7946 0018',
    firstName: 'Zoë',
    lastName: "O'Brien",
    postcode: 'sw1a 1aa',
  },
  {
    email: 'jo.smith+news@gmail.com',
    phone: '0044 7900 123456',
    firstName: 'Dr Jo',
    lastName: 'Smith-Jones',
    postcode: 'EC1A1BB',
    country: 'UK',
  },
  {
    email: 'siân@example.org',
    phone: '07900 654321',
    firstName: 'Sia\u0302n',
    lastName: 'Ó Súilleabháin',
    postcode: 'CF10 1AA',
  },
  { email: null, phone: '07700 900123', firstName: 'Kwame', lastName: 'Mensah', postcode: 'M1 1AE' }, // drama number
  { email: 'not an email', phone: 'n/a', firstName: null, lastName: null, postcode: null }, // nothing usable
  {
    email: 'pierre@example.fr',
    phone: '01 23 45 67 89',
    firstName: 'Pierre',
    lastName: 'Lefèvre',
    postcode: '75001',
    country: 'FR',
  },
];

const ALL_FIELDS: AudienceField[] = ['email', 'phone', 'first_name', 'last_name', 'postcode', 'country'];

/** Every field the platform accepts. */
const fieldsOf = (platform: PlatformId): AudienceField[] =>
  PLATFORM_FILE_RULES[platform].fields.map((rule) => rule.field).filter((f) => ALL_FIELDS.includes(f));

/** One person's cells for the platform's columns, by the domain reference (null: blank). */
function referenceCells(platform: PlatformId, fields: AudienceField[], p: AudiencePerson): (string | null)[] {
  const country = p.country ? (p.country.toUpperCase() === 'UK' ? 'GB' : p.country.toUpperCase()) : 'GB';
  const raw: Record<AudienceField, string | null | undefined> = {
    email: p.email,
    phone: p.phone,
    first_name: p.firstName,
    last_name: p.lastName,
    postcode: p.postcode,
    country,
  };
  return fields.map((field) => {
    const value = raw[field];
    if (value === null || value === undefined || value === '') return null;
    const cell = encodeCell(fieldRuleOf(platform, field)!, value, country as 'GB');
    if (!cell.ok) return null;
    const text = cell.value;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  });
}

function matchable(platform: PlatformId, fields: AudienceField[], cells: (string | null)[]): boolean {
  return PLATFORM_FILE_RULES[platform].matchKeys.some((key) =>
    key.every((f) => fields.includes(f) && cells[fields.indexOf(f)] !== null),
  );
}

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'canvass-audience-test-'));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const options = (
  over: Partial<WriteAudienceFilesOptions> & Pick<WriteAudienceFilesOptions, 'platform'>,
): WriteAudienceFilesOptions => ({
  audience: { id: '6f1c1f4e-0000-4000-8000-000000000001', name: 'Supporters in Cardiff' },
  staffMember: { id: '6f1c1f4e-0000-4000-8000-0000000000aa', name: 'Dee Pio' },
  people: PEOPLE,
  directory: join(base, 'export'),
  excluded: {
    'objected (DM-OBJECTION-ABSOLUTE)': 2,
    'never given a list-matching notice (TR-LIST-MATCHING-DISCLOSED)': 1,
  },
  ruleDecisions: ALLOWED,
  hashing: 'inline',
  ...over,
});

const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('writeAudienceFiles: the platform files', () => {
  it.each(PLATFORMS.filter((p) => p !== 'snap'))('%s: the CSV is the rules applied cell by cell', async (platform) => {
    const fields = fieldsOf(platform);
    const result = await writeAudienceFiles(options({ platform, fields }));
    const rules = PLATFORM_FILE_RULES[platform];
    const header = rules.fields.filter((r) => fields.includes(r.field)).map((r) => r.header);
    const rows = PEOPLE.map((p) => referenceCells(platform, fields, p)).filter((cells) =>
      matchable(platform, fields, cells),
    );
    const expected = [header.join(','), ...rows.map((cells) => cells.map((c) => c ?? '').join(','))].join('\n') + '\n';
    expect(result.manifest.files.map((f) => f.name)).toEqual([`${platform}-add-0001.csv`]);
    const text = await readFile(join(result.directory, `${platform}-add-0001.csv`), 'utf8');
    expect(text).toBe(expected);
    expect(result.manifest.rowsWritten).toBe(rows.length);
    expect(result.manifest.skipped).toEqual(
      rows.length < PEOPLE.length ? { [SKIPPED_NO_MATCH_KEY]: PEOPLE.length - rows.length } : {},
    );
  });

  it('meta: the published check value of mary@example.com, through the SIMD hasher', async () => {
    const result = await writeAudienceFiles(options({ platform: 'meta', hashing: 'worker' }));
    const text = await readFile(join(result.directory, 'meta-add-0001.csv'), 'utf8');
    expect(text.split('\n')[0]).toBe('email,phone');
    expect(text.split('\n')[1]).toMatch(/^f1904cf1a9d73a55fa5de0ac823c4403ded71afd4c3248d00bdcd0866552bb79,/);
  });

  it('snap: one JSON request body per identifier type, one entry per identifier', async () => {
    const result = await writeAudienceFiles(options({ platform: 'snap', hashing: 'worker' }));
    expect(result.manifest.files.map((f) => f.name)).toEqual(['snap-add-email-0001.json', 'snap-add-phone-0001.json']);
    for (const [field, schema] of [
      ['email', 'EMAIL_SHA256'],
      ['phone', 'PHONE_SHA256'],
    ] as const) {
      const body = JSON.parse(await readFile(join(result.directory, `snap-add-${field}-0001.json`), 'utf8')) as unknown;
      const hashes = PEOPLE.map((p) => referenceCells('snap', [field], p)[0]).filter((c): c is string => c !== null);
      expect(body).toEqual({ users: [{ schema: [schema], data: hashes.map((h) => [h]) }] });
    }
  });

  it('google: several email columns, Gmail spellings of one address written once', async () => {
    const result = await writeAudienceFiles(
      options({
        platform: 'google',
        fields: ['email'],
        identifierColumns: 3,
        people: [
          { email: 'Jo.Smith@gmail.com', otherEmails: ['josmith+x@gmail.com', 'jo@example.org', 'third@example.org'] },
          { email: null, otherEmails: ['only@example.org'] },
        ],
      }),
    );
    const lines = (await readFile(join(result.directory, 'google-add-0001.csv'), 'utf8')).trimEnd().split('\n');
    const h = (s: string): string => createHash('sha256').update(s).digest('hex');
    expect(lines).toEqual([
      'Email,Email,Email',
      `${h('josmith@gmail.com')},${h('jo@example.org')},${h('third@example.org')}`,
      `${h('only@example.org')},,`,
    ]);
  });

  it('writes the same bytes on the worker thread as inline, for thousands of people', async () => {
    const people = Array.from({ length: 9_000 }, (_, n) => ({
      email: `person.${n}@example.org`,
      phone: `+44 7900 ${String(100000 + n)}`,
      firstName: n % 3 === 0 ? 'Zoë' : 'Mary',
      lastName: n % 2 === 0 ? "O'Brien" : 'Smith',
      postcode: 'SW1A 1AA',
    }));
    const digests: string[][] = [];
    for (const hashing of ['inline', 'worker'] as const) {
      const result = await writeAudienceFiles(
        options({
          platform: 'meta',
          fields: ALL_FIELDS,
          people: [people],
          hashing,
          directory: join(base, hashing),
          maxRowsPerFile: 4000,
        }),
      );
      expect(result.manifest.files.map((f) => [f.name, f.rows])).toEqual([
        ['meta-add-0001.csv', 4000],
        ['meta-add-0002.csv', 4000],
        ['meta-add-0003.csv', 1000],
      ]);
      digests.push(result.manifest.files.map((f) => f.sha256));
      // Spot-check rows against the reference.
      const second = (await readFile(join(result.directory, 'meta-add-0002.csv'), 'utf8')).split('\n');
      expect(second[1]).toBe(referenceCells('meta', ALL_FIELDS, people[4000]!).join(','));
      expect(second[4000]).toBe(referenceCells('meta', ALL_FIELDS, people[7999]!).join(','));
    }
    expect(digests[1]).toEqual(digests[0]);
  });
});

describe('writeAudienceFiles: progress', () => {
  it('reports people read and rows written after each batch', async () => {
    const seen: { peopleRead: number; rowsWritten: number }[] = [];
    const people = Array.from({ length: 5000 }, (_, n) => ({ email: n % 10 === 0 ? 'junk' : `p${n}@example.org` }));
    await writeAudienceFiles(options({ platform: 'meta', people, onProgress: (p) => seen.push(p) }));
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toEqual({ peopleRead: 5000, rowsWritten: 4500 });
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.peopleRead).toBeGreaterThan(seen[i - 1]!.peopleRead);
  });
});

describe('writeAudienceFiles: splitting', () => {
  it('splits at the row limit into numbered files, each with its header', async () => {
    const result = await writeAudienceFiles(options({ platform: 'meta', fields: ['email'], maxRowsPerFile: 2 }));
    const rows = PEOPLE.filter((p) => referenceCells('meta', ['email'], p)[0] !== null);
    expect(result.manifest.files.map((f) => [f.name, f.rows])).toEqual([
      ['meta-add-0001.csv', 2],
      ['meta-add-0002.csv', rows.length - 2],
    ]);
    const all: string[] = [];
    for (const file of result.manifest.files) {
      const lines = (await readFile(join(result.directory, file.name), 'utf8')).trimEnd().split('\n');
      expect(lines[0]).toBe('email');
      all.push(...lines.slice(1));
    }
    expect(all).toEqual(rows.map((p) => referenceCells('meta', ['email'], p)[0]));
  });

  it('splits at the byte limit, never above it (LinkedIn)', async () => {
    const people = Array.from({ length: 100 }, (_, n) => ({
      email: `p${n}@example.org`,
      firstName: 'Siân',
      lastName: `Jones${n}`,
    }));
    const result = await writeAudienceFiles(
      options({ platform: 'linkedin', fields: ['email', 'first_name', 'last_name'], people, maxBytesPerFile: 1024 }),
    );
    expect(result.manifest.files.length).toBeGreaterThan(5);
    let rows = 0;
    for (const file of result.manifest.files) {
      const bytes = await readFile(join(result.directory, file.name));
      expect(bytes.length).toBe(file.bytes);
      expect(bytes.length).toBeLessThanOrEqual(1024);
      const lines = bytes.toString('utf8').trimEnd().split('\n');
      expect(lines[0]).toBe('email,firstname,lastname');
      expect(lines.length - 1).toBe(file.rows);
      rows += file.rows;
    }
    expect(rows).toBe(100);
  });

  it('splits Snap request bodies at the row limit, each valid JSON', async () => {
    const people = Array.from({ length: 7 }, (_, n) => ({ email: `p${n}@example.org` }));
    const result = await writeAudienceFiles(
      options({ platform: 'snap', fields: ['email'], people, maxRowsPerFile: 3 }),
    );
    expect(result.manifest.files.map((f) => [f.name, f.rows])).toEqual([
      ['snap-add-email-0001.json', 3],
      ['snap-add-email-0002.json', 3],
      ['snap-add-email-0003.json', 1],
    ]);
    for (const file of result.manifest.files) {
      const body = JSON.parse(await readFile(join(result.directory, file.name), 'utf8')) as {
        users: { data: unknown[] }[];
      };
      expect(body.users[0]!.data).toHaveLength(file.rows);
    }
  });
});

describe('writeAudienceFiles: the manifest', () => {
  it('records platform, audience, time, staff, rows, exclusions, file hashes, decisions and the rules version', async () => {
    const times = [new Date('2026-11-29T10:00:00Z'), new Date('2026-11-29T10:00:05Z')];
    const result = await writeAudienceFiles(
      options({ platform: 'meta', fields: ALL_FIELDS, now: () => times.shift() ?? new Date(0) }),
    );
    const m: AudienceFileManifest = result.manifest;
    expect(m).toMatchObject({
      manifestVersion: 1,
      platform: 'meta',
      operation: 'add',
      audience: { id: '6f1c1f4e-0000-4000-8000-000000000001', name: 'Supporters in Cardiff' },
      staffMember: { id: '6f1c1f4e-0000-4000-8000-0000000000aa', name: 'Dee Pio' },
      startedAt: '2026-11-29T10:00:00.000Z',
      completedAt: '2026-11-29T10:00:05.000Z',
      normalizationRulesVersion: '2026-11-29.1',
      peopleRead: 6,
      rowsWritten: 5,
      excluded: {
        'objected (DM-OBJECTION-ABSOLUTE)': 2,
        'never given a list-matching notice (TR-LIST-MATCHING-DISCLOSED)': 1,
      },
      skipped: { [SKIPPED_NO_MATCH_KEY]: 1 },
      ruleDecisions: ALLOWED,
    });
    expect(m.columns.map((c) => c.header)).toEqual(['email', 'phone', 'fn', 'ln', 'zip', 'country']);
    expect(m.blankFields).toEqual({
      email: { empty: 1, 'not an email address': 1 },
      phone: { 'not a valid phone number': 1, 'not a possible phone number': 1 },
      first_name: { empty: 1 },
      last_name: { empty: 1 },
      postcode: { empty: 1 },
    });
    expect(m.warnings).toEqual([
      '5 rows: below the 100 rows Custom Audiences (customer file) needs in an upload (meta).',
    ]);
    expect(m.sources.some((s) => s.url === 'https://www.facebook.com/business/help/2082575038703844')).toBe(true);
    for (const file of m.files) {
      const bytes = await readFile(join(result.directory, file.name));
      expect(file.sha256).toBe(sha256Of(bytes));
      expect(file.bytes).toBe(bytes.length);
    }
    const onDisk = JSON.parse(await readFile(result.manifestPath, 'utf8')) as unknown;
    expect(onDisk).toEqual(m);
    expect(result.manifestPath).toBe(join(result.directory, MANIFEST_FILE));
  });

  it('warns about the unconfirmed X phone format, and names remove files', async () => {
    const result = await writeAudienceFiles(options({ platform: 'x', operation: 'remove' }));
    expect(result.manifest.operation).toBe('remove');
    expect(result.manifest.files.map((f) => f.name)).toEqual(['x-remove-0001.csv']);
    expect(result.manifest.warnings.some((w) => w.startsWith('phone: X does not document'))).toBe(true);
  });
});

describe('writeAudienceFiles: handling', () => {
  it('creates the directory 0700 and every file 0600, whatever the umask', async () => {
    const previous = process.umask(0o000);
    try {
      const result = await writeAudienceFiles(options({ platform: 'meta', hashing: 'worker', maxRowsPerFile: 2 }));
      expect((await stat(result.directory)).mode & 0o777).toBe(0o700);
      const names = await readdir(result.directory);
      expect(names.sort()).toEqual(['manifest.json', 'meta-add-0001.csv', 'meta-add-0002.csv']);
      for (const name of names) expect((await stat(join(result.directory, name))).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it('neutralises plain cells a spreadsheet would read as a formula; hashed cells are untouched', async () => {
    const people = [
      { email: 'a@example.org', firstName: '=HYPERLINK("http://evil.example")', lastName: '+441234' },
      { email: 'b@example.org', firstName: '@SUM(A1)', lastName: '-Smith' },
      { email: 'c@example.org', firstName: 'Jo "JJ"', lastName: 'Smith' },
    ];
    const result = await writeAudienceFiles(
      options({ platform: 'linkedin', fields: ['email', 'first_name', 'last_name'], people }),
    );
    const lines = (await readFile(join(result.directory, 'linkedin-add-0001.csv'), 'utf8')).trimEnd().split('\n');
    const h = (s: string): string => createHash('sha256').update(s).digest('hex');
    expect(lines).toEqual([
      'email,firstname,lastname',
      `${h('a@example.org')},"'=HYPERLINK(""http://evil.example"")",'+441234`,
      `${h('b@example.org')},'@SUM(A1),'-Smith`,
      `${h('c@example.org')},"Jo ""JJ""",Smith`,
    ]);
  });

  it.each(['inline', 'worker'] as const)('removes everything written when the source fails (%s)', async (hashing) => {
    async function* failing(): AsyncGenerator<AudiencePerson[]> {
      for (let batch = 0; batch < 5; batch++) {
        yield Array.from({ length: 4000 }, (_, n) => ({ email: `p${batch}.${n}@example.org` }));
      }
      throw new Error('the database went away');
    }
    const directory = join(base, `failed-${hashing}`);
    await expect(
      writeAudienceFiles(options({ platform: 'meta', people: failing(), hashing, directory })),
    ).rejects.toThrow('the database went away');
    await expect(stat(directory)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('stops and removes everything when aborted', async () => {
    const controller = new AbortController();
    async function* endless(): AsyncGenerator<AudiencePerson[]> {
      for (let batch = 0; ; batch++) {
        if (batch === 3) controller.abort();
        yield Array.from({ length: 1000 }, (_, n) => ({ email: `p${batch}.${n}@example.org` }));
      }
    }
    const directory = join(base, 'aborted');
    await expect(
      writeAudienceFiles(
        options({ platform: 'meta', people: endless(), hashing: 'worker', directory, signal: controller.signal }),
      ),
    ).rejects.toThrow();
    await expect(stat(directory)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('writeAudienceFiles: refusals', () => {
  const refusal = async (
    over: Partial<WriteAudienceFilesOptions> & Pick<WriteAudienceFilesOptions, 'platform'>,
  ): Promise<AppError> => {
    const error: unknown = await writeAudienceFiles(options(over)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  };

  it('refuses without the lawful gate’s decisions (deny by default)', async () => {
    const error = await refusal({ platform: 'meta', ruleDecisions: [] });
    expect(error.code).toBe('rule_refused');
    await expect(stat(join(base, 'export'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses when a decision refuses or requires, naming the rules', async () => {
    const error = await refusal({
      platform: 'tiktok',
      ruleDecisions: [
        ...ALLOWED,
        { ruleId: 'ONL-PLATFORM-ELIGIBILITY', outcome: 'refuse', explanation: 'TikTok bans political ads.' },
        { ruleId: 'ONL-JOINT-CONTROLLER', outcome: 'require', explanation: 'No Art 26 arrangement.' },
      ],
    });
    expect(error.code).toBe('rule_refused');
    expect(error.details).toEqual({ ruleIds: ['ONL-PLATFORM-ELIGIBILITY', 'ONL-JOINT-CONTROLLER'] });
  });

  it('refuses to write into an existing directory', async () => {
    const error = await refusal({ platform: 'meta', directory: base });
    expect(error.code).toBe('conflict');
  });

  it.each([
    [
      { platform: 'linkedin', fields: ['phone'] },
      'fields: linkedin (Matched Audiences (contact list)) does not accept phone',
    ],
    [
      { platform: 'google', fields: ['email', 'first_name'] },
      'fields: google needs first_name, last_name, country, postcode together',
    ],
    [{ platform: 'meta', fields: ['country'] }, 'fields: meta cannot match a row on these fields alone'],
    [{ platform: 'snap', maxRowsPerFile: 100_001 }, 'maxRowsPerFile: snap allows at most 100000 per file'],
    [{ platform: 'meta', identifierColumns: 4 }, 'identifierColumns: must be 1, 2 or 3'],
    [{ platform: 'meta', defaultCountry: 'UKK' }, 'defaultCountry'],
    [{ platform: 'meta', excluded: { objected: -1 } }, 'excluded.objected'],
  ] as [Partial<WriteAudienceFilesOptions> & Pick<WriteAudienceFilesOptions, 'platform'>, string][])(
    'names the option at fault: %j',
    async (over, message) => {
      const error = await refusal(over);
      expect(error.code).toBe('validation_failed');
      expect(error.message).toContain(message);
    },
  );
});
