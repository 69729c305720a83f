import { describe, expect, it } from 'vitest';
import {
  applyColumnMapping,
  parseColumnMappingInput,
  parseMapArguments,
  resolveColumnMapping,
  suggestColumnMapping,
  type ColumnMappingEntry,
  type MappingIssue,
} from './column-mapping.js';

const HEADER = ['First name', 'Surname', 'E-mail', 'Address', 'Post Code', 'Tag', 'Tag', 'Ward'];

const issuesOf = <T>(result: { ok: true; value: T } | { ok: false; issues: MappingIssue[] }): MappingIssue[] =>
  result.ok ? [] : result.issues;

describe('parseMapArguments', () => {
  it('parses column=field pairs, splitting at the last "="', () => {
    expect(parseMapArguments(['E-mail=email', 'a=b=postcode', ' Ward =attribute:ward'])).toEqual({
      ok: true,
      value: [
        { column: 'E-mail', field: 'email' },
        { column: 'a=b', field: 'postcode' },
        { column: 'Ward', field: 'attribute:ward' },
      ],
    });
  });

  it.each<[string[], MappingIssue[]]>([
    [['E-mail'], [{ column: 'E-mail', message: '"E-mail" is not column=field' }]],
    [['=email'], [{ column: '=email', message: '"=email" is not column=field' }]],
    [
      ['E-mail=emial'],
      [
        {
          column: 'E-mail',
          message:
            '"emial" is not a field; use one of email, phone, first_name, last_name, full_name, address_line1, address_line2, address_line3, town, postcode, tag, list, note or attribute:<name>',
        },
      ],
    ],
    [
      ['Ward=attribute:Ward Name'],
      [
        {
          column: 'Ward',
          message:
            '"attribute:Ward Name": an attribute name is 1 to 63 lower-case letters, digits or underscores, starting with a letter or digit',
        },
      ],
    ],
    [[' =email'], [{ column: '', message: 'the column name is empty' }]],
  ])('rejects %j, naming the column', (args, issues) => {
    expect(issuesOf(parseMapArguments(args))).toEqual(issues);
  });

  it('validates JSON input with the same schema', () => {
    expect(parseColumnMappingInput([{ column: 'Mobile', field: 'phone' }])).toEqual({
      ok: true,
      value: [{ column: 'Mobile', field: 'phone' }],
    });
    expect(issuesOf(parseColumnMappingInput('nope'))).toHaveLength(1);
  });
});

describe('resolveColumnMapping', () => {
  it('resolves names case-insensitively to positions and lists unmapped columns', () => {
    const entries: ColumnMappingEntry[] = [
      { column: 'e-mail', field: 'email' },
      { column: 'SURNAME', field: 'last_name' },
      { column: 'Ward', field: 'attribute:ward' },
    ];
    expect(resolveColumnMapping(HEADER, entries)).toEqual({
      ok: true,
      value: {
        columns: [
          { index: 1, column: 'Surname', field: 'last_name' },
          { index: 2, column: 'E-mail', field: 'email' },
          { index: 7, column: 'Ward', field: 'attribute:ward' },
        ],
        unmapped: ['First name', 'Address', 'Post Code', 'Tag', 'Tag'],
      },
    });
  });

  it('lets several columns feed tag, list and note', () => {
    const result = resolveColumnMapping(
      ['Volunteer', 'Donor', 'Notes 1', 'Notes 2'],
      [
        { column: 'Volunteer', field: 'tag' },
        { column: 'Donor', field: 'tag' },
        { column: 'Notes 1', field: 'note' },
        { column: 'Notes 2', field: 'note' },
      ],
    );
    expect(result.ok).toBe(true);
  });

  it.each<[string, ColumnMappingEntry[], MappingIssue[]]>([
    [
      'a column missing from the header',
      [{ column: 'Phone', field: 'phone' }],
      [{ column: 'Phone', message: `the column "Phone" is not in the file's header` }],
    ],
    [
      'a duplicated header name',
      [{ column: 'tag', field: 'tag' }],
      [
        {
          column: 'tag',
          message: 'the header has 2 columns named "tag" (columns 6, 7); rename them so the mapping is unambiguous',
        },
      ],
    ],
    [
      'two columns for a single-valued field',
      [
        { column: 'First name', field: 'full_name' },
        { column: 'Surname', field: 'full_name' },
      ],
      [
        {
          column: 'Surname',
          message: 'the columns "First name" and "Surname" are both mapped to full_name, which takes one column',
        },
      ],
    ],
    [
      'two columns for one attribute',
      [
        { column: 'Ward', field: 'attribute:area' },
        { column: 'Post Code', field: 'attribute:area' },
      ],
      [
        {
          column: 'Post Code',
          message: 'the columns "Ward" and "Post Code" are both mapped to attribute:area, which takes one column',
        },
      ],
    ],
    [
      'the same column twice',
      [
        { column: 'Ward', field: 'attribute:ward' },
        { column: 'ward', field: 'town' },
      ],
      [{ column: 'Ward', message: 'the column "Ward" is mapped more than once' }],
    ],
    ['an empty mapping', [], [{ column: '', message: 'no column is mapped to a field' }]],
  ])('rejects %s, naming the column', (_, entries, issues) => {
    expect(issuesOf(resolveColumnMapping(HEADER, entries))).toEqual(issues);
  });

  it('reports every problem at once', () => {
    const result = resolveColumnMapping(HEADER, [
      { column: 'Phone', field: 'phone' },
      { column: 'Mobile', field: 'phone' },
    ]);
    expect(issuesOf(result).map((i) => i.column)).toEqual(['Phone', 'Mobile']);
  });
});

describe('suggestColumnMapping', () => {
  it.each<[string, string | undefined]>([
    ['E-mail', 'email'],
    ['Email Address', 'email'],
    ['MOBILE', 'phone'],
    ['Telephone', 'phone'],
    ['Forename', 'first_name'],
    ['First Name', 'first_name'],
    ['Surname', 'last_name'],
    ['Last_Name', 'last_name'],
    ['Name', 'full_name'],
    ['Address Line 1', 'address_line1'],
    ['Address 2', 'address_line2'],
    ['address_line3', 'address_line3'],
    ['Town/City', 'town'],
    ['Post Code', 'postcode'],
    ['POSTCODE', 'postcode'],
    ['Tags', 'tag'],
    ['Notes', 'note'],
    ['Ward', undefined],
    ['Favourite colour', undefined],
  ])('suggests a field for %j', (name, field) => {
    const entries = suggestColumnMapping([name]);
    expect(entries).toEqual(field === undefined ? [] : [{ column: name, field }]);
  });

  it('gives a single-valued field to the first column, skips duplicated names, and resolves cleanly', () => {
    const header = ['Mobile', 'Telephone', 'Email', 'Notes', 'Comments', 'Town', 'Town', 'Surname'];
    const entries = suggestColumnMapping(header);
    expect(entries).toEqual([
      { column: 'Mobile', field: 'phone' },
      { column: 'Email', field: 'email' },
      { column: 'Notes', field: 'note' },
      { column: 'Comments', field: 'note' },
      { column: 'Surname', field: 'last_name' },
    ]);
    expect(resolveColumnMapping(header, entries).ok).toBe(true);
  });
});

describe('applyColumnMapping', () => {
  it('gathers a record by field, leaving empty values out', () => {
    const header = ['Email', 'Surname', 'Volunteer', 'Donor', 'Ward', 'Notes'];
    const resolved = resolveColumnMapping(header, [
      { column: 'Email', field: 'email' },
      { column: 'Surname', field: 'last_name' },
      { column: 'Volunteer', field: 'tag' },
      { column: 'Donor', field: 'tag' },
      { column: 'Ward', field: 'attribute:ward' },
      { column: 'Notes', field: 'note' },
    ]);
    if (!resolved.ok) throw new Error('mapping should resolve');
    expect(
      applyColumnMapping(resolved.value, [' ada@example.org ', 'Lovelace', 'yes', 'gold', 'Marylebone', '  ']),
    ).toEqual({
      fields: { email: 'ada@example.org', last_name: 'Lovelace' },
      tags: ['yes', 'gold'],
      lists: [],
      notes: [],
      attributes: { ward: 'Marylebone' },
      sourceColumn: { email: 'Email', last_name: 'Surname', tag: 'Volunteer', 'attribute:ward': 'Ward' },
    });
  });
});
