/**
 * The platform rules table against the research notes (audiences.md, "Per platform"): headers,
 * hashed or plain, phone format, Gmail and +tag flags, file limits, and a source on every rule.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PLATFORMS, type PlatformId } from '../rules/platforms.js';
import {
  AUDIENCE_FIELDS,
  NORMALIZATION_RULES_VERSION,
  PLATFORM_FILE_RULES,
  fieldRuleOf,
  type AudienceField,
} from './platform-rules.js';

/** [platform, field, header, hashed] as the notes give them; null header: not accepted. */
const COLUMNS: [PlatformId, AudienceField, string | null, boolean | null][] = [
  ['meta', 'email', 'email', true],
  ['meta', 'phone', 'phone', true],
  ['meta', 'first_name', 'fn', true],
  ['meta', 'last_name', 'ln', true],
  ['meta', 'postcode', 'zip', true],
  ['meta', 'country', 'country', true],
  ['google', 'email', 'Email', true],
  ['google', 'phone', 'Phone', true],
  ['google', 'first_name', 'First Name', true],
  ['google', 'last_name', 'Last Name', true],
  ['google', 'country', 'Country', false],
  ['google', 'postcode', 'Zip', false],
  ['x', 'email', 'email', true],
  ['x', 'phone', 'phone', true],
  ['x', 'first_name', null, null],
  ['x', 'postcode', null, null],
  ['snap', 'email', 'EMAIL_SHA256', true],
  ['snap', 'phone', 'PHONE_SHA256', true],
  ['snap', 'first_name', null, null],
  ['linkedin', 'email', 'email', true],
  ['linkedin', 'phone', null, null], // "not supported"
  ['linkedin', 'first_name', 'firstname', false],
  ['linkedin', 'last_name', 'lastname', false],
  ['linkedin', 'country', 'country', false],
  ['linkedin', 'postcode', null, null],
  ['tiktok', 'email', 'Email_SHA256', true],
  ['tiktok', 'phone', 'Phone_SHA256', true],
  ['tiktok', 'first_name', null, null],
];

describe('PLATFORM_FILE_RULES', () => {
  it('is versioned', () => {
    expect(NORMALIZATION_RULES_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
  });

  it('covers every platform', () => {
    expect(Object.keys(PLATFORM_FILE_RULES).sort()).toEqual([...PLATFORMS].sort());
    for (const platform of PLATFORMS) expect(PLATFORM_FILE_RULES[platform].platform).toBe(platform);
  });

  it.each(COLUMNS)('%s %s: header %j, hashed %j', (platform, field, header, hashed) => {
    const rule = fieldRuleOf(platform, field);
    if (header === null) {
      expect(rule).toBeNull();
      return;
    }
    expect(rule).not.toBeNull();
    expect(rule!.header).toBe(header);
    expect(rule!.hashed).toBe(hashed);
  });

  it.each([
    ['meta', 'e164_digits'],
    ['google', 'e164'],
    ['x', 'e164_digits'],
    ['snap', 'e164_digits'],
    ['tiktok', 'e164_digits'],
  ] as const)('%s phones: %s', (platform, format) => {
    expect(fieldRuleOf(platform, 'phone')!.normalization).toEqual({ kind: 'phone', format });
  });

  it('flags the undocumented X phone format as unconfirmed', () => {
    expect(fieldRuleOf('x', 'phone')!.unconfirmed).toMatch(/does not document/);
    for (const platform of PLATFORMS) {
      if (platform !== 'x') expect(fieldRuleOf(platform, 'phone')?.unconfirmed).toBeUndefined();
    }
  });

  it('removes Gmail dots for Google only, and +tags for Google (Gmail) and TikTok (every domain)', () => {
    for (const platform of PLATFORMS) {
      const n = fieldRuleOf(platform, 'email')!.normalization;
      expect(n).toEqual({
        kind: 'email',
        removeDots: platform === 'google' ? 'gmail' : 'never',
        removePlusTag: platform === 'google' ? 'gmail' : platform === 'tiktok' ? 'every_domain' : 'never',
      });
    }
  });

  it.each([
    ['meta', null, null, 100],
    ['snap', 100_000, null, null],
    ['linkedin', 300_000, 20_000_000, 300],
    ['tiktok', null, 999_999_999, 1000],
  ] as const)('%s file limits', (platform, rows, bytes, min) => {
    const limits = PLATFORM_FILE_RULES[platform].limits;
    expect([limits.maxRowsPerFile, limits.maxBytesPerFile, limits.minRows]).toEqual([rows, bytes, min]);
  });

  it('takes Meta names transliterated, Google names with accents, LinkedIn names plain and short', () => {
    expect(fieldRuleOf('meta', 'first_name')!.normalization).toEqual({ kind: 'name', style: 'letters_transliterated' });
    expect(fieldRuleOf('google', 'last_name')!.normalization).toEqual({ kind: 'name', style: 'letters_accents_kept' });
    expect(fieldRuleOf('linkedin', 'first_name')!.normalization).toEqual({
      kind: 'name',
      style: 'plain_text',
      maxLength: 35,
    });
  });

  it('uses up to three email and phone columns where the platform takes several', () => {
    expect(fieldRuleOf('meta', 'email')!.maxColumns).toBe(3);
    expect(fieldRuleOf('meta', 'phone')!.maxColumns).toBe(3);
    expect(fieldRuleOf('tiktok', 'email')!.maxColumns).toBe(3);
    expect(fieldRuleOf('x', 'email')!.maxColumns).toBe(1);
    expect(fieldRuleOf('linkedin', 'email')!.maxColumns).toBe(1);
  });

  it('needs Google names with Country and Zip (mailing-address matching)', () => {
    expect(PLATFORM_FILE_RULES.google.fieldGroups).toEqual([['first_name', 'last_name', 'country', 'postcode']]);
  });

  it.each(PLATFORMS)('%s: every rule cites a source, and the table is consistent', (platform) => {
    const rules = PLATFORM_FILE_RULES[platform];
    const fields = rules.fields.map((r) => r.field);
    expect(new Set(fields).size).toBe(fields.length);
    for (const rule of rules.fields) {
      expect(AUDIENCE_FIELDS).toContain(rule.field);
      expect(rule.sources.length).toBeGreaterThan(0);
      // The research notes and at least one platform page (a URL) for each rule.
      expect(rule.sources.some((s) => s.url === null && s.title.startsWith('Research notes'))).toBe(true);
      expect(rule.sources.some((s) => s.url?.startsWith('https://'))).toBe(true);
      expect(rule.normalization.kind).toBe(
        rule.field === 'first_name' || rule.field === 'last_name' ? 'name' : rule.field,
      );
      expect(rule.maxColumns).toBeGreaterThanOrEqual(1);
    }
    expect(rules.limits.sources.length).toBeGreaterThan(0);
    for (const field of rules.defaultFields) expect(fields).toContain(field);
    for (const key of rules.matchKeys) for (const field of key) expect(fields).toContain(field);
    for (const group of rules.fieldGroups) for (const field of group) expect(fields).toContain(field);
    // The default fields alone can match a row.
    expect(rules.matchKeys.some((key) => key.every((f) => rules.defaultFields.includes(f)))).toBe(true);
  });

  it('keeps identifiers plain only where a platform requires it', () => {
    const plain = PLATFORMS.flatMap((p) =>
      PLATFORM_FILE_RULES[p].fields.filter((r) => !r.hashed).map((r) => `${p}:${r.field}`),
    );
    expect(plain.sort()).toEqual([
      'google:country',
      'google:postcode',
      'linkedin:country',
      'linkedin:first_name',
      'linkedin:last_name',
    ]);
    // LinkedIn names are plain: they are never exported unless chosen.
    expect(PLATFORM_FILE_RULES.linkedin.defaultFields).toEqual(['email']);
  });
});

describe('docs/audiences.md', () => {
  const doc = readFileSync(new URL('../../../docs/audiences.md', import.meta.url), 'utf8');
  it('documents the table as implemented: its version and every header', () => {
    expect(doc).toContain(`**${NORMALIZATION_RULES_VERSION}**`);
    for (const platform of PLATFORMS) {
      for (const rule of PLATFORM_FILE_RULES[platform].fields) expect(doc).toContain(`\`${rule.header}\``);
    }
  });
});
