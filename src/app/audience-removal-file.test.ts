import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../domain/audiences/normalize.js';
import { writeRemovalFiles } from './audience-removal-file.js';
import { hashedIdentifiers, removalFields } from './audience-removals.js';

const dir = (): string => join(mkdtempSync(join(tmpdir(), 'canvass-removal-')), 'out');
const base = {
  audience: { id: 'a1', name: 'Doorstep' },
  staffMember: { id: 'u1', name: 'Sam' },
  reasons: { objection: 2 },
  now: () => new Date('2026-11-29T12:00:00Z'),
};

describe('removal identifiers', () => {
  it('keeps only hashed fields a platform can match on alone', () => {
    expect(removalFields('meta', [])).toEqual(['email', 'phone']);
    expect(removalFields('meta', ['email', 'first_name', 'last_name', 'postcode'])).toEqual([
      'email',
      'first_name',
      'last_name',
      'postcode',
    ]);
    // Google's names are matched only with the plain Country and Zip: useless from hashes.
    expect(removalFields('google', ['email', 'phone', 'first_name', 'last_name', 'country', 'postcode'])).toEqual([
      'email',
      'phone',
    ]);
    expect(removalFields('linkedin', [])).toEqual(['email']);
  });

  it('normalizes by the platform before hashing (Google drops Gmail dots; phones with or without +)', () => {
    const person = {
      emails: ['Jane.Doe+news@Gmail.com'],
      phones: ['+44 (0)20 7946 0018'],
      firstName: null,
      lastName: null,
      postcode: null,
    };
    const google = hashedIdentifiers('google', [], person);
    expect(google.email).toEqual([sha256Hex('janedoe@gmail.com')]);
    expect(google.phone).toEqual([sha256Hex('+442079460018')]);
    const meta = hashedIdentifiers('meta', [], person);
    expect(meta.email).toEqual([sha256Hex('jane.doe+news@gmail.com')]);
    expect(meta.phone).toEqual([sha256Hex('442079460018')]);
    expect(JSON.stringify(meta)).not.toContain('gmail');
  });
});

describe('writeRemovalFiles', () => {
  it('writes a CSV with the platform headers, one row per identifier, owner-only, and a remove manifest', async () => {
    const directory = dir();
    const manifest = await writeRemovalFiles({
      ...base,
      platform: 'meta',
      fields: ['email', 'phone'],
      removals: [{ email: ['e1', 'e2'], phone: ['p1'] }, { phone: ['p2'] }],
      directory,
    });
    expect(manifest).toMatchObject({ operation: 'remove', rowsWritten: 3, peopleRead: 2 });
    expect(manifest.ruleDecisions[0]!.ruleId).toBe('DM-REMOVE-FROM-LIVE-AUDIENCES');
    const csv = readFileSync(join(directory, 'meta-remove-0001.csv'), 'utf8');
    expect(csv).toBe('email,phone\ne1,p1\ne2,\n,p2\n');
    expect(manifest.files[0]!.sha256).toBe(sha256Hex(csv));
    expect(statSync(directory).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(directory)) expect(statSync(join(directory, f)).mode & 0o777).toBe(0o600);
  });

  it("writes Snap's API bodies, one per identifier type", async () => {
    const directory = dir();
    await writeRemovalFiles({
      ...base,
      platform: 'snap',
      fields: ['email', 'phone'],
      removals: [{ email: ['e1'], phone: ['p1'] }, { email: ['e2'] }],
      directory,
    });
    expect(JSON.parse(readFileSync(join(directory, 'snap-remove-email-0001.json'), 'utf8'))).toEqual({
      users: [{ schema: ['EMAIL_SHA256'], data: [['e1'], ['e2']] }],
    });
    expect(readdirSync(directory).sort()).toEqual([
      'manifest.json',
      'snap-remove-email-0001.json',
      'snap-remove-phone-0001.json',
    ]);
  });

  it('refuses to write into an existing directory', async () => {
    const directory = dir();
    await writeRemovalFiles({ ...base, platform: 'x', fields: ['email'], removals: [{ email: ['e'] }], directory });
    await expect(
      writeRemovalFiles({ ...base, platform: 'x', fields: ['email'], removals: [{ email: ['e'] }], directory }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });
});
