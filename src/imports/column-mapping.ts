/**
 * Which CSV column feeds which Canvass field, for people imports (issue 3).
 *
 * A mapping arrives as `column=field` pairs (`--map "E-mail=email" --map "Ward=attribute:ward"`)
 * or is suggested from the header (`suggestColumnMapping`). `resolveColumnMapping` checks it
 * against the header and turns names into column positions; every problem names its column.
 * Pure functions: no I/O.
 */
import { z } from 'zod';

/** Fields a column can feed, besides `attribute:<name>`. */
export const PERSON_FIELDS = [
  'email',
  'phone',
  'first_name',
  'last_name',
  'full_name',
  'address_line1',
  'address_line2',
  'address_line3',
  'town',
  'postcode',
  'tag',
  'list',
  'note',
] as const;

export type PersonField = (typeof PERSON_FIELDS)[number];
export type AttributeField = `attribute:${string}`;
export type ImportField = PersonField | AttributeField;

/**
 * Fields that several columns may feed: each non-empty value adds a tag, a list membership
 * or a note. Every other field (each attribute name included) takes one column.
 */
export const MULTI_VALUED_FIELDS: ReadonlySet<ImportField> = new Set<ImportField>(['tag', 'list', 'note']);

const ATTRIBUTE_NAME = /^[a-z0-9][a-z0-9_]{0,62}$/;

export const importFieldSchema = z.string().transform((raw, ctx): ImportField => {
  const value = raw.trim();
  if ((PERSON_FIELDS as readonly string[]).includes(value)) return value as PersonField;
  if (value.startsWith('attribute:')) {
    const name = value.slice('attribute:'.length);
    if (ATTRIBUTE_NAME.test(name)) return `attribute:${name}`;
    ctx.addIssue({
      code: 'custom',
      message: `"${value}": an attribute name is 1 to 63 lower-case letters, digits or underscores, starting with a letter or digit`,
    });
    return z.NEVER;
  }
  ctx.addIssue({
    code: 'custom',
    message: `"${value}" is not a field; use one of ${PERSON_FIELDS.join(', ')} or attribute:<name>`,
  });
  return z.NEVER;
});

export const columnMappingEntrySchema = z.object({
  column: z.string().trim().min(1, 'the column name is empty'),
  field: importFieldSchema,
});

/** The mapping input: the schema for an HTTP body or a job payload. */
export const columnMappingInputSchema = z.array(columnMappingEntrySchema).max(1000);

export type ColumnMappingEntry = z.output<typeof columnMappingEntrySchema>;

export interface MappingIssue {
  /** The CSV column the problem is about ("" when there is none, e.g. an empty mapping). */
  column: string;
  message: string;
}

export type MappingResult<T> = { ok: true; value: T } | { ok: false; issues: MappingIssue[] };

/**
 * Parses `--map` arguments, each `column=field`. The split is at the last `=`, so a column
 * name may itself contain `=`.
 */
export function parseMapArguments(args: readonly string[]): MappingResult<ColumnMappingEntry[]> {
  const issues: MappingIssue[] = [];
  const raw: { column: string; field: string }[] = [];
  for (const arg of args) {
    const at = arg.lastIndexOf('=');
    if (at <= 0) {
      issues.push({ column: arg, message: `"${arg}" is not column=field` });
      continue;
    }
    raw.push({ column: arg.slice(0, at), field: arg.slice(at + 1) });
  }
  const parsed = parseColumnMappingInput(raw);
  if (!parsed.ok) issues.push(...parsed.issues);
  return issues.length > 0 ? { ok: false, issues } : parsed;
}

/** Validates mapping input (from `--map`, JSON or a form) against the schema. */
export function parseColumnMappingInput(input: unknown): MappingResult<ColumnMappingEntry[]> {
  const result = columnMappingInputSchema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues.map((issue) => {
    const [index] = issue.path;
    const entry = typeof index === 'number' && Array.isArray(input) ? (input[index] as unknown) : undefined;
    const column =
      entry !== null && typeof entry === 'object' && typeof (entry as { column?: unknown }).column === 'string'
        ? (entry as { column: string }).column.trim()
        : '';
    return { column, message: issue.message };
  });
  return { ok: false, issues };
}

export interface MappedColumn {
  /** 0-based position in the header. */
  index: number;
  /** The header name as written in the file. */
  column: string;
  field: ImportField;
}

export interface ColumnMapping {
  columns: MappedColumn[];
  /** Header columns that feed nothing (reported to the user, not an error). */
  unmapped: string[];
}

/** How header names are compared: trimmed, case- and width-insensitive. */
const normalizeName = (name: string): string => name.normalize('NFKC').trim().toLowerCase();

/**
 * Checks a mapping against the CSV header. Errors, each naming its column:
 * - the column is not in the header;
 * - the column name occurs more than once in the header, so which one is meant is unclear;
 * - the same column is mapped twice;
 * - two columns feed a single-valued field;
 * - nothing is mapped.
 */
export function resolveColumnMapping(
  header: readonly string[],
  entries: readonly ColumnMappingEntry[],
): MappingResult<ColumnMapping> {
  const issues: MappingIssue[] = [];
  const positions = new Map<string, number[]>();
  header.forEach((name, index) => {
    const key = normalizeName(name);
    positions.set(key, [...(positions.get(key) ?? []), index]);
  });

  const columns: MappedColumn[] = [];
  const usedIndexes = new Set<number>();
  const fieldOwner = new Map<ImportField, string>();
  if (entries.length === 0) issues.push({ column: '', message: 'no column is mapped to a field' });

  for (const { column, field } of entries) {
    const found = positions.get(normalizeName(column)) ?? [];
    if (found.length === 0) {
      issues.push({ column, message: `the column "${column}" is not in the file's header` });
      continue;
    }
    if (found.length > 1) {
      issues.push({
        column,
        message: `the header has ${found.length} columns named "${column}" (columns ${found.map((i) => i + 1).join(', ')}); rename them so the mapping is unambiguous`,
      });
      continue;
    }
    const index = found[0] ?? 0;
    const name = header[index] ?? column;
    if (usedIndexes.has(index)) {
      issues.push({ column: name, message: `the column "${name}" is mapped more than once` });
      continue;
    }
    const owner = fieldOwner.get(field);
    if (owner !== undefined && !MULTI_VALUED_FIELDS.has(field)) {
      issues.push({
        column: name,
        message: `the columns "${owner}" and "${name}" are both mapped to ${field}, which takes one column`,
      });
      continue;
    }
    usedIndexes.add(index);
    fieldOwner.set(field, name);
    columns.push({ index, column: name, field });
  }
  if (issues.length > 0) return { ok: false, issues };
  columns.sort((a, b) => a.index - b.index);
  const unmapped = header.filter((_, i) => !usedIndexes.has(i));
  return { ok: true, value: { columns, unmapped } };
}

/** Header names that suggest a field, compared with letters and digits only ("Post Code" → "postcode"). */
const SUGGESTIONS: Readonly<Record<PersonField, readonly string[]>> = {
  email: ['email', 'emailaddress', 'mail', 'emailaddr'],
  phone: ['phone', 'phonenumber', 'telephone', 'telephonenumber', 'tel', 'mobile', 'mobilenumber', 'mobilephone'],
  first_name: ['firstname', 'forename', 'forenames', 'givenname', 'first'],
  last_name: ['lastname', 'surname', 'familyname', 'last'],
  full_name: ['name', 'fullname', 'contactname'],
  address_line1: ['address', 'address1', 'addressline1', 'street', 'streetaddress', 'line1'],
  address_line2: ['address2', 'addressline2', 'line2'],
  address_line3: ['address3', 'addressline3', 'line3'],
  town: ['town', 'city', 'towncity', 'posttown', 'locality'],
  postcode: ['postcode', 'postalcode', 'zip', 'zipcode'],
  tag: ['tag', 'tags'],
  list: ['list', 'lists'],
  note: ['note', 'notes', 'comment', 'comments'],
};

const SUGGESTION_BY_KEY: ReadonlyMap<string, PersonField> = new Map(
  PERSON_FIELDS.flatMap((field) => SUGGESTIONS[field].map((key) => [key, field] as const)),
);

const suggestionKey = (name: string): string => normalizeName(name).replace(/[^\p{L}\p{N}]/gu, '');

/**
 * Suggests a mapping from common header names, case-insensitively ("E-mail", "Mobile",
 * "Post Code", "Surname"). A single-valued field goes to the first column that suggests it;
 * duplicated header names and unrecognised columns are left out (never guessed as
 * attributes). The result always passes `resolveColumnMapping` for the same header, unless
 * nothing was recognised.
 */
export function suggestColumnMapping(header: readonly string[]): ColumnMappingEntry[] {
  const counts = new Map<string, number>();
  for (const name of header) counts.set(normalizeName(name), (counts.get(normalizeName(name)) ?? 0) + 1);
  const taken = new Set<ImportField>();
  const entries: ColumnMappingEntry[] = [];
  for (const name of header) {
    if (name.trim() === '' || (counts.get(normalizeName(name)) ?? 0) > 1) continue;
    const field = SUGGESTION_BY_KEY.get(suggestionKey(name));
    if (field === undefined) continue;
    if (taken.has(field) && !MULTI_VALUED_FIELDS.has(field)) continue;
    taken.add(field);
    entries.push({ column: name, field });
  }
  return entries;
}

/** One record's values, gathered by field. Empty values (after trimming) are left out. */
export interface MappedValues {
  fields: Partial<Record<Exclude<PersonField, 'tag' | 'list' | 'note'>, string>>;
  tags: string[];
  lists: string[];
  notes: string[];
  attributes: Record<string, string>;
  /** Which column each value came from, so a later rejection can name it. */
  sourceColumn: Partial<Record<ImportField, string>>;
}

/** Picks a record's values for the mapped columns. `values` must have the header's length. */
export function applyColumnMapping(mapping: ColumnMapping, values: readonly string[]): MappedValues {
  const out: MappedValues = { fields: {}, tags: [], lists: [], notes: [], attributes: {}, sourceColumn: {} };
  for (const { index, column, field } of mapping.columns) {
    const value = (values[index] ?? '').trim();
    if (value === '') continue;
    if (field === 'tag') out.tags.push(value);
    else if (field === 'list') out.lists.push(value);
    else if (field === 'note') out.notes.push(value);
    else if (field.startsWith('attribute:')) out.attributes[field.slice('attribute:'.length)] = value;
    else out.fields[field as keyof MappedValues['fields']] = value;
    out.sourceColumn[field] ??= column;
  }
  return out;
}
