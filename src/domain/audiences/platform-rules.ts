/**
 * What each advertising platform expects of a customer-list file: identifier columns and
 * their exact headers, how each field is normalized, which fields are hashed (SHA-256,
 * lower-case hex, of the NFC-normalized UTF-8 bytes) and which must stay plain, and how big a
 * file may be. One versioned table (issue 5, item 3): platforms change their pages, so one
 * edit here updates every export, and each export's manifest records the version it used.
 *
 * Every rule cites its source: the project's research notes (docs/audiences.md of the shared
 * notes, from the platforms' own documentation, 2024–2026 copies) and the platform page the
 * notes summarise. Where the notes leave a choice open ("pick one and record it") or a
 * platform does not document a format, the rule says so in `decision` or `unconfirmed`, and
 * the manifest of a file built with it repeats the warning.
 *
 * Whether a platform may be used at all for a UK political campaign is not decided here: that
 * is ONL-PLATFORM-ELIGIBILITY (src/domain/rules/platforms.ts). This table only says what a
 * file must look like once the lawful gate has allowed it.
 */
import type { PlatformId } from '../rules/platforms.js';

/**
 * Bump on any change below that changes a byte of an output file (a header, a normalization,
 * a limit). Recorded in every export manifest.
 */
export const NORMALIZATION_RULES_VERSION = '2026-11-29.1';

// ---------------------------------------------------------------------------------------
// Sources
// ---------------------------------------------------------------------------------------

export interface RuleSource {
  /** The page (or the research notes' section). */
  title: string;
  /** Where it can be read; null for the research notes, which are the project's own. */
  url: string | null;
}

const NOTES_TABLE = (row: string): RuleSource => ({
  title: `Research notes, audiences.md, "Per platform" table, row "${row}"`,
  url: null,
});
const NOTES_EVERY: RuleSource = {
  title: 'Research notes, audiences.md, "Every platform" (SHA-256 lower-case hex, NFC, libphonenumber, GB not UK)',
  url: null,
};

export const SOURCES = {
  metaFormat: {
    title: 'Meta Business Help Centre: How to format a customer list when creating a custom audience',
    url: 'https://www.facebook.com/business/help/2082575038703844',
  },
  metaHashing: {
    title: 'Meta Marketing API: Custom Audiences, "Hashing and normalizing data"',
    url: 'https://developers.facebook.com/docs/marketing-api/audiences/guides/custom-audiences',
  },
  googleFormat: {
    title: 'Google Ads Help: Format your customer data file (Customer Match)',
    url: 'https://support.google.com/google-ads/answer/7659867',
  },
  googlePlainText: {
    title: 'Google Ads Help: Formatting guidelines for uploading plain text data (unhashed)',
    url: 'https://support.google.com/google-ads/answer/7475964',
  },
  xLists: {
    title: 'X Business Help: List Custom Audiences (file formats, pre-hashing)',
    url: 'https://business.x.com/en/help/campaign-setup/campaign-targeting/custom-audiences/lists',
  },
  snapCustomerLists: {
    title: 'Snap Marketing API: Customer Lists (segment users, schema, 100,000 identifiers per request)',
    url: 'https://developers.snap.com/api/marketing-api/Ads-API/customer-lists',
  },
  linkedinContactLists: {
    title: 'LinkedIn Help: Requirements for contact targeting lists in Campaign Manager',
    url: 'https://www.linkedin.com/help/lms/answer/a1489764',
  },
  tiktokCustomerFile: {
    title: 'TikTok Ads Help: List of supported IDs and formats for a customer file (August 2025)',
    url: 'https://ads.tiktok.com/help/article/list-of-supported-ids-and-formats-for-a-customer-file',
  },
  notesEvery: NOTES_EVERY,
  notesEmail: NOTES_TABLE('Email'),
  notesPhone: NOTES_TABLE('Phone'),
  notesNames: NOTES_TABLE('First / last name'),
  notesPostcode: NOTES_TABLE('Postcode'),
  notesCountry: NOTES_TABLE('Country'),
  notesFile: NOTES_TABLE('File'),
  notesMinimum: NOTES_TABLE('Minimum audience'),
  canvass: {
    title: 'Canvass decision, recorded here because the platform pages leave it open (see `decision`)',
    url: null,
  },
} as const satisfies Record<string, RuleSource>;

// ---------------------------------------------------------------------------------------
// Fields and their normalization rules
// ---------------------------------------------------------------------------------------

/** The identifiers Canvass holds that a customer-list file can carry. */
export const AUDIENCE_FIELDS = ['email', 'phone', 'first_name', 'last_name', 'postcode', 'country'] as const;
export type AudienceField = (typeof AUDIENCE_FIELDS)[number];

export type EmailRule = {
  kind: 'email';
  /** Remove every "." before the "@": never, or only for gmail.com / googlemail.com. */
  removeDots: 'never' | 'gmail';
  /** Drop a "+tag" before the "@": never, only for Gmail, or on every domain. */
  removePlusTag: 'never' | 'gmail' | 'every_domain';
};

export type PhoneRule = {
  kind: 'phone';
  /** E.164 with the "+" ("+447700900123"), or its digits alone ("447700900123"). */
  format: 'e164' | 'e164_digits';
};

export type NameRule =
  | {
      kind: 'name';
      /**
       * Meta: lower case, letters only (no spaces, digits or punctuation), accents
       * transliterated to Roman letters ("Zoë" → "zoe", "O'Brien" → "obrien").
       */
      style: 'letters_transliterated';
    }
  | {
      kind: 'name';
      /** Google: lower case, accents kept, white space and punctuation removed. */
      style: 'letters_accents_kept';
    }
  | {
      kind: 'name';
      /** LinkedIn: the name as written (trimmed, NFC, single spaces), plain, at most `maxLength` characters. */
      style: 'plain_text';
      maxLength: number;
    };

export type PostcodeRule =
  | {
      kind: 'postcode';
      /** Meta: lower case, no spaces ("sw1a1aa"); hashed. */
      style: 'compact_lower';
    }
  | {
      kind: 'postcode';
      /** Google: the canonical written form ("SW1A 1AA"), plain. */
      style: 'as_written';
    };

export type CountryRule = {
  kind: 'country';
  /** ISO 3166-1 alpha-2 in lower case ("gb") or upper case ("GB"). */
  case: 'lower' | 'upper';
};

export type FieldNormalization = EmailRule | PhoneRule | NameRule | PostcodeRule | CountryRule;

export interface FieldRule {
  field: AudienceField;
  /** The exact column header (CSV), or the schema name (Snap's API files). */
  header: string;
  /** How many columns of this field a row may carry (e.g. Meta: three emails). */
  maxColumns: number;
  /** true: SHA-256 lower-case hex of the normalized value; false: the value itself, plain. */
  hashed: boolean;
  normalization: FieldNormalization;
  /** Where the notes left a choice open, what Canvass chose and why. */
  decision?: string;
  /** The platform does not document this format: the manifest carries this warning. */
  unconfirmed?: string;
  sources: readonly RuleSource[];
}

// ---------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------

export type FileFormat =
  /** One CSV per file, a header row, one row per person with a column per field. */
  | { kind: 'csv'; extension: 'csv' }
  /**
   * Snap's Audience Match API body, one file per request: one identifier type per file
   * (`{"users":[{"schema":["EMAIL_SHA256"],"data":[["<hash>"],…]}]}`), one entry per identifier.
   */
  | { kind: 'snap_json'; extension: 'json' };

export interface FileLimits {
  /** Most data rows (CSV) or entries (JSON) per file; null: the platform documents none. */
  maxRowsPerFile: number | null;
  /** Largest file in bytes; null: none documented. */
  maxBytesPerFile: number | null;
  /** Fewest rows the platform accepts in an upload; fewer → a warning in the manifest. */
  minRows: number | null;
  sources: readonly RuleSource[];
}

export interface PlatformFileRules {
  platform: PlatformId;
  /** The product, as the platform names it. */
  product: string;
  format: FileFormat;
  /** The fields the platform accepts, in column order; a field not listed is not accepted. */
  fields: readonly FieldRule[];
  /** The fields an export carries unless the caller chooses (data minimisation: the fewest that match). */
  defaultFields: readonly AudienceField[];
  /**
   * Sets of fields any one of which, complete, lets the platform match a row. A row with none
   * complete is not written (counted in the manifest's `skipped`).
   */
  matchKeys: readonly (readonly AudienceField[])[];
  /** Fields that must be exported together: choosing any of a group needs all of it. */
  fieldGroups: readonly (readonly AudienceField[])[];
  limits: FileLimits;
  /** Names and titles the platform strips; see NAME_TITLES. */
  notes?: string;
}

/**
 * Honorifics and post-nominals removed from the start and end of a name before it is
 * normalized. Google asks for titles and suffixes to be dropped; Meta's page is silent, but a
 * title glued to a name ("mrjohn") can never match, so Canvass drops them for every platform
 * that takes names. UK forms included (Cllr, Revd, post-nominal honours).
 */
export const NAME_TITLES: ReadonlySet<string> = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'master',
  'dr',
  'prof',
  'professor',
  'sir',
  'dame',
  'lord',
  'lady',
  'rev',
  'revd',
  'reverend',
  'fr',
  'cllr',
  'councillor',
  'hon',
]);
export const NAME_SUFFIXES: ReadonlySet<string> = new Set([
  'jr',
  'jnr',
  'junior',
  'sr',
  'snr',
  'senior',
  'ii',
  'iii',
  'iv',
  'phd',
  'md',
  'obe',
  'mbe',
  'cbe',
  'kbe',
  'dbe',
  'kc',
  'qc',
  'mp',
  'msp',
  'mla',
]);

const TITLES_DECISION =
  'Titles (Mr, Mrs, Dr, Cllr …) at the start and suffixes (Jr, OBE, MP …) at the end of a name are removed (NAME_TITLES, NAME_SUFFIXES).';

// ---------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------

const email = (rule: Omit<EmailRule, 'kind'>, extra: Omit<FieldRule, 'field' | 'normalization'>): FieldRule => ({
  field: 'email',
  normalization: { kind: 'email', ...rule },
  ...extra,
});
const phone = (format: PhoneRule['format'], extra: Omit<FieldRule, 'field' | 'normalization'>): FieldRule => ({
  field: 'phone',
  normalization: { kind: 'phone', format },
  ...extra,
});

export const PLATFORM_FILE_RULES: Readonly<Record<PlatformId, PlatformFileRules>> = {
  meta: {
    platform: 'meta',
    product: 'Custom Audiences (customer file)',
    format: { kind: 'csv', extension: 'csv' },
    fields: [
      email(
        { removeDots: 'never', removePlusTag: 'never' },
        {
          header: 'email',
          maxColumns: 3,
          hashed: true,
          sources: [SOURCES.notesEmail, SOURCES.metaFormat, SOURCES.metaHashing],
        },
      ),
      phone('e164_digits', {
        header: 'phone',
        maxColumns: 3,
        hashed: true,
        sources: [SOURCES.notesPhone, SOURCES.metaFormat, SOURCES.metaHashing],
      }),
      {
        field: 'first_name',
        header: 'fn',
        maxColumns: 1,
        hashed: true,
        normalization: { kind: 'name', style: 'letters_transliterated' },
        decision: `${TITLES_DECISION} Letters of other scripts are kept (Meta: "special characters in UTF-8 format"); Latin letters without a decomposition are spelled out (ß → ss, æ → ae, ø → o, ł → l, đ/ð → d, þ → th).`,
        sources: [SOURCES.notesNames, SOURCES.metaHashing],
      },
      {
        field: 'last_name',
        header: 'ln',
        maxColumns: 1,
        hashed: true,
        normalization: { kind: 'name', style: 'letters_transliterated' },
        decision: `${TITLES_DECISION} As for fn.`,
        sources: [SOURCES.notesNames, SOURCES.metaHashing],
      },
      {
        field: 'postcode',
        header: 'zip',
        maxColumns: 1,
        hashed: true,
        normalization: { kind: 'postcode', style: 'compact_lower' },
        decision:
          'The full UK postcode ("sw1a1aa"); the sector form ("sw1a1") the notes mention is not used, as it matches less precisely. Outside the UK: lower case without spaces or hyphens, US ZIP codes to their first 5 digits.',
        sources: [SOURCES.notesPostcode, SOURCES.metaHashing],
      },
      {
        field: 'country',
        header: 'country',
        maxColumns: 1,
        hashed: true,
        normalization: { kind: 'country', case: 'lower' },
        sources: [SOURCES.notesCountry, SOURCES.notesEvery, SOURCES.metaHashing],
      },
    ],
    defaultFields: ['email', 'phone'],
    matchKeys: [['email'], ['phone'], ['first_name', 'last_name', 'postcode']],
    fieldGroups: [],
    limits: {
      maxRowsPerFile: null,
      maxBytesPerFile: null,
      minRows: 100,
      sources: [SOURCES.notesFile, SOURCES.notesMinimum, SOURCES.metaFormat],
    },
  },

  google: {
    platform: 'google',
    product: 'Customer Match',
    format: { kind: 'csv', extension: 'csv' },
    fields: [
      email(
        { removeDots: 'gmail', removePlusTag: 'gmail' },
        {
          header: 'Email',
          maxColumns: 3,
          hashed: true,
          decision:
            'googlemail.com addresses are treated as Gmail (dots and +tag removed) but keep their domain: the notes do not say to rewrite it. Google allows several Email columns without a documented maximum: Canvass writes at most 3.',
          sources: [SOURCES.notesEmail, SOURCES.googleFormat, SOURCES.googlePlainText],
        },
      ),
      phone('e164', {
        header: 'Phone',
        maxColumns: 3,
        hashed: true,
        decision: 'Several Phone columns are allowed without a documented maximum: Canvass writes at most 3.',
        sources: [SOURCES.notesPhone, SOURCES.googleFormat],
      }),
      {
        field: 'first_name',
        header: 'First Name',
        maxColumns: 1,
        hashed: true,
        normalization: { kind: 'name', style: 'letters_accents_kept' },
        decision: `${TITLES_DECISION} Punctuation (the notes: "ambiguous — pick one and record it"): removed, with all white space (Google's template asks to remove spaces "before, after or in between … names") and digits — only letters and their accents are kept: "O'Brien" → "obrien", "Mary Ann" → "maryann". Accents are kept, NFC.`,
        sources: [SOURCES.notesNames, SOURCES.googleFormat, SOURCES.canvass],
      },
      {
        field: 'last_name',
        header: 'Last Name',
        maxColumns: 1,
        hashed: true,
        normalization: { kind: 'name', style: 'letters_accents_kept' },
        decision: `${TITLES_DECISION} As for First Name.`,
        sources: [SOURCES.notesNames, SOURCES.googleFormat, SOURCES.canvass],
      },
      {
        field: 'country',
        header: 'Country',
        maxColumns: 1,
        hashed: false,
        normalization: { kind: 'country', case: 'upper' },
        sources: [SOURCES.notesCountry, SOURCES.googleFormat],
      },
      {
        field: 'postcode',
        header: 'Zip',
        maxColumns: 1,
        hashed: false,
        normalization: { kind: 'postcode', style: 'as_written' },
        decision:
          'UK postcodes are written in their canonical form ("SW1A 1AA"), the form the import stores; others trimmed with single spaces.',
        sources: [SOURCES.notesPostcode, SOURCES.googleFormat],
      },
    ],
    defaultFields: ['email', 'phone'],
    matchKeys: [['email'], ['phone'], ['first_name', 'last_name', 'country', 'postcode']],
    // "You must provide First Name and Last Name if you want Google Ads to create a Country
    // and Zip match"; mailing-address matching needs all four columns.
    fieldGroups: [['first_name', 'last_name', 'country', 'postcode']],
    limits: {
      maxRowsPerFile: null,
      maxBytesPerFile: null,
      minRows: null,
      sources: [SOURCES.notesFile, SOURCES.googleFormat],
    },
    notes: 'Customer lists are not allowed for UK election ads (ONL-PLATFORM-ELIGIBILITY decides, not this table).',
  },

  x: {
    platform: 'x',
    product: 'Custom Audiences (lists)',
    format: { kind: 'csv', extension: 'csv' },
    fields: [
      email(
        { removeDots: 'never', removePlusTag: 'never' },
        {
          header: 'email',
          maxColumns: 1,
          hashed: true,
          decision:
            'X asks the uploader to name the identifier type of each column after upload, so the header is descriptive, not a keyword.',
          sources: [SOURCES.notesEmail, SOURCES.xLists],
        },
      ),
      phone('e164_digits', {
        header: 'phone',
        maxColumns: 1,
        hashed: true,
        unconfirmed:
          "X does not document the phone format for pre-hashed lists: Canvass uses E.164 without the '+' (as Meta and Snap do). Check the match rate after upload.",
        sources: [SOURCES.notesPhone, SOURCES.xLists],
      }),
    ],
    defaultFields: ['email', 'phone'],
    matchKeys: [['email'], ['phone']],
    fieldGroups: [],
    limits: {
      maxRowsPerFile: null,
      maxBytesPerFile: null,
      minRows: null,
      sources: [SOURCES.notesFile, SOURCES.xLists],
    },
  },

  snap: {
    platform: 'snap',
    product: 'Customer Lists (Audience Match API)',
    format: { kind: 'snap_json', extension: 'json' },
    fields: [
      email(
        { removeDots: 'never', removePlusTag: 'never' },
        {
          header: 'EMAIL_SHA256',
          maxColumns: 3,
          hashed: true,
          sources: [SOURCES.notesEmail, SOURCES.snapCustomerLists],
        },
      ),
      phone('e164_digits', {
        header: 'PHONE_SHA256',
        maxColumns: 3,
        hashed: true,
        sources: [SOURCES.notesPhone, SOURCES.snapCustomerLists],
      }),
    ],
    defaultFields: ['email', 'phone'],
    matchKeys: [['email'], ['phone']],
    fieldGroups: [],
    limits: {
      // "≤100,000 per request": each file is one request body.
      maxRowsPerFile: 100_000,
      maxBytesPerFile: null,
      minRows: null,
      sources: [SOURCES.notesFile, SOURCES.snapCustomerLists],
    },
  },

  linkedin: {
    platform: 'linkedin',
    product: 'Matched Audiences (contact list)',
    format: { kind: 'csv', extension: 'csv' },
    fields: [
      email(
        { removeDots: 'never', removePlusTag: 'never' },
        {
          header: 'email',
          maxColumns: 1,
          hashed: true,
          sources: [SOURCES.notesEmail, SOURCES.linkedinContactLists],
        },
      ),
      {
        field: 'first_name',
        header: 'firstname',
        maxColumns: 1,
        hashed: false,
        normalization: { kind: 'name', style: 'plain_text', maxLength: 35 },
        decision: `${TITLES_DECISION} Plain text: prefer not to export names at all (data minimisation); they are not a default field.`,
        sources: [SOURCES.notesNames, SOURCES.linkedinContactLists],
      },
      {
        field: 'last_name',
        header: 'lastname',
        maxColumns: 1,
        hashed: false,
        normalization: { kind: 'name', style: 'plain_text', maxLength: 35 },
        decision: `${TITLES_DECISION} As for firstname.`,
        sources: [SOURCES.notesNames, SOURCES.linkedinContactLists],
      },
      {
        field: 'country',
        header: 'country',
        maxColumns: 1,
        hashed: false,
        normalization: { kind: 'country', case: 'upper' },
        sources: [SOURCES.notesCountry, SOURCES.linkedinContactLists],
      },
    ],
    defaultFields: ['email'],
    matchKeys: [['email']],
    fieldGroups: [],
    limits: {
      maxRowsPerFile: 300_000,
      // "20 MB": read as 20,000,000 bytes, the smaller reading.
      maxBytesPerFile: 20_000_000,
      minRows: 300,
      sources: [SOURCES.notesFile, SOURCES.linkedinContactLists],
    },
    notes:
      "LinkedIn's template headers come from Campaign Manager's download (\"don't change or remove the headers\"); the lower-case names here follow it. Political ads are banned (ONL-PLATFORM-ELIGIBILITY).",
  },

  tiktok: {
    platform: 'tiktok',
    product: 'Custom Audience (customer file)',
    format: { kind: 'csv', extension: 'csv' },
    fields: [
      email(
        { removeDots: 'never', removePlusTag: 'every_domain' },
        {
          header: 'Email_SHA256',
          maxColumns: 3,
          hashed: true,
          decision:
            'The August 2025 page removes "+" and what follows it up to the "@" on every domain; an earlier copy also removed dots. Kept as a per-platform flag (removePlusTag).',
          sources: [SOURCES.notesEmail, SOURCES.tiktokCustomerFile],
        },
      ),
      phone('e164_digits', {
        header: 'Phone_SHA256',
        maxColumns: 3,
        hashed: true,
        decision:
          'The August 2025 page: remove symbols including "+", keep the country code ("37493828222"); its published digest is of that form.',
        sources: [SOURCES.notesPhone, SOURCES.tiktokCustomerFile],
      }),
    ],
    defaultFields: ['email', 'phone'],
    matchKeys: [['email'], ['phone']],
    fieldGroups: [],
    limits: {
      maxRowsPerFile: null,
      // "< 1 GB": read as below 10^9 bytes, the smaller reading.
      maxBytesPerFile: 999_999_999,
      minRows: 1000,
      sources: [SOURCES.notesFile, SOURCES.tiktokCustomerFile],
    },
    notes: 'Political ads are banned (ONL-PLATFORM-ELIGIBILITY).',
  },
};

/** The rule for `field` on `platform`, or null when the platform does not accept it. */
export function fieldRuleOf(platform: PlatformId, field: AudienceField): FieldRule | null {
  return PLATFORM_FILE_RULES[platform].fields.find((rule) => rule.field === field) ?? null;
}
