/**
 * The privacy notice (issue 4), composed from the campaign's records: pure functions, no I/O.
 *
 *  - composePrivacyNotice(input) writes the English notice: ordered sections with stable ids
 *    (src/shared/privacy-notice.ts), each from the records that UK GDPR Arts 13 and 14 say
 *    people must be told — who the controller is and the DPO's contact (Art 13(1)(a)-(b)),
 *    what is collected and from where (Art 14(1)(d), 14(2)(f)), the purposes and lawful bases
 *    with the legitimate interests pursued (Art 13(1)(c)-(d)), special category data and its
 *    Art 9 condition, the recipients, joint controllers and the essence of each arrangement
 *    (Art 26(2)), processors and transfers with their safeguards (Art 13(1)(e)-(f)), retention
 *    (Art 13(2)(a)), the rights and how to object (Art 13(2)(b)-(c), Art 21(4)), and how to
 *    complain: to the controller first (DPA 2018 s.164A, from 19 June 2026) and to the ICO
 *    (Art 13(2)(d), 77).
 *  - Matching people's details with social-media platforms and building lookalike audiences
 *    get a plain-words section of their own right after "who we are", naming each platform and
 *    stating the essence of the arrangement (TR-LIST-MATCHING-DISCLOSED: the ICO says list
 *    matching must be explained clearly and prominently, not buried); profiling likewise
 *    (TR-PROFILING-DISCLOSED).
 *  - The rules a publication must pass (a section that cannot be written from the records
 *    refuses with the rule id) are in src/domain/rules/privacy-notice-rules.ts.
 *  - translateNotice builds the Welsh notice from the campaign's Welsh text of every section.
 *  - listMatchingCoverage answers, for the audiences feature: does this notice explain list
 *    matching with this platform, prominently?
 *
 * NoticeInput is this module's own type: src/app/privacy-notice.ts maps the governance records
 * onto it in one function, so that a change to those records changes one mapping, not this.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  NOTICE_SECTION_IDS,
  type NoticeBlock,
  type NoticeDisclosures,
  type NoticeDocument,
  type NoticeInline,
  type NoticeListMatchingPlatform,
  type NoticeSection,
  type NoticeSectionId,
  type SectionTranslationState,
  type TranslationStatus,
} from '../shared/privacy-notice.js';
import { countryName } from './governance.js';
import { PLATFORMS as POLICY_PLATFORMS, type PlatformId } from './rules/platforms.js';

export * from '../shared/privacy-notice.js';

// ---------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------

export interface NoticeController {
  name: string;
  /** registered_party, candidate, non_party_campaigner, referendum_campaigner, elected_representative, other. */
  controllerType: string;
  postalAddress: string;
  icoRegistrationNumber: string | null;
  dpo: { name: string; email: string; phone: string | null } | null;
}

/** What the campaign sets for its notice (the privacy-notice settings). */
export interface NoticeContact {
  /** The campaign's page where people object to its campaigning (UK GDPR Art 21(4)). */
  objectionUrl: string | null;
  /** An inbox for privacy matters; the DPO's email is used when there is none. */
  privacyEmail: string | null;
  /** An online form for data protection complaints (DPA 2018 s.164A(2)). */
  complaintUrl: string | null;
}

/** Where personal data came from (the sources records). */
export interface NoticeSource {
  name: string;
  /** A source type of the people database (web_form, data_broker, full_register, …). */
  type: string;
  description: string;
}

/** A field the campaign records about people beyond the standard ones, with the ICO's kind. */
export interface NoticeAttribute {
  label: string;
  kind: 'provided' | 'observed' | 'inferred';
  specialCategory: string | null;
}

export interface NoticeSpecialCategory {
  category: string;
  /** Inferred (a score, a model): still special category data. */
  inferred: boolean;
  /** An Art 9(2) condition (explicit_consent, substantial_public_interest, …), or null if none is recorded. */
  condition: string | null;
  /** For Art 9(2)(g): the DPA 2018 Sch 1 paragraph (22 for political parties). */
  schedule1Paragraph: number | null;
}

export interface NoticeTransfer {
  /** ISO 3166-1 alpha-2; GB is the United Kingdom itself (no transfer). */
  country: string;
  /** uk_adequacy, idta, uk_addendum, us_dpf_uk_extension, or null when none is recorded. */
  mechanism: string | null;
  recipient: string;
}

/** A processing activity of the record of processing (only those in force go in a notice). */
export interface NoticeActivity {
  id: string;
  name: string;
  description: string;
  purposes: string[];
  /** consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests. */
  lawfulBasis: string | null;
  /** For legitimate interests: the interest pursued (Art 13(1)(d)), from the LIA's purpose test. */
  legitimateInterest: string | null;
  dataCategories: string[];
  specialCategories: NoticeSpecialCategory[];
  /** DPA 2018 Sch 1 is relied on and the appropriate policy document is kept. */
  appropriatePolicyDocument: boolean;
  recipients: string[];
  retention: string | null;
  /** Sources not in the sources records, in the DPO's words. */
  otherSources: string;
  transfers: NoticeTransfer[];
  /** What it does: custom_audiences, lookalikes, pixels_plugins, page_insights, email, sms, phone, post, canvassing, imports, profiling. */
  capabilities: string[];
  arrangementIds: string[];
  processorIds: string[];
}

/** A joint-controller arrangement with a platform for one scope (Art 26). */
export interface NoticeArrangement {
  id: string;
  /** meta, google, x, snap, linkedin, tiktok or other. */
  platform: string;
  platformName: string;
  /** custom_audiences, lookalikes, pixels_plugins or page_insights. */
  scope: string;
  /** The essence of the arrangement, written for individuals (Art 26(2)). */
  essence: string;
}

export interface NoticeProcessor {
  id: string;
  name: string;
  service: string;
  /** Where it stores or accesses the data; empty when not recorded. */
  hosting: NoticeTransfer[];
  subProcessors: { name: string; hosting: NoticeTransfer[] }[];
}

export interface NoticeInput {
  controller: NoticeController;
  contact: NoticeContact;
  sources: NoticeSource[];
  attributes: NoticeAttribute[];
  /** The activities in force (the record's active activities). */
  activities: NoticeActivity[];
  /** The live joint-controller arrangements. */
  arrangements: NoticeArrangement[];
  /** The processors of the activities in force. */
  processors: NoticeProcessor[];
  /** The public addresses of the notice and of its earlier versions. */
  links: { notice: string; versions: string };
  /** The day the notice is composed (YYYY-MM-DD): the law in force that day applies. */
  asOf: string;
}

// ---------------------------------------------------------------------------------------
// Plain words for the records' values
// ---------------------------------------------------------------------------------------

/** DPA 2018 s.164A (inserted by the Data (Use and Access) Act 2025) is in force from this day. */
export const CONTROLLER_COMPLAINTS_IN_FORCE = '2026-06-19';

/** The ICO's complaint page and helpline (UK GDPR Art 77; Art 13(2)(d)). */
export const ICO_COMPLAINT_URL = 'https://ico.org.uk/make-a-complaint/';
export const ICO_HELPLINE = '0303 123 1113';

const CONTROLLER_TYPE_WORDS: Record<string, string> = {
  registered_party: 'a registered political party',
  candidate: 'a candidate for election',
  non_party_campaigner: 'a non-party campaigner',
  referendum_campaigner: 'a referendum campaigner',
  elected_representative: 'an elected representative',
};

const LAWFUL_BASIS_WORDS: Record<string, string> = {
  consent: 'your consent (UK GDPR Article 6(1)(a)). You can withdraw it at any time, and we will then stop',
  contract: 'a contract with you, or steps you asked us to take before one (Article 6(1)(b))',
  legal_obligation: 'a legal obligation we must meet (Article 6(1)(c))',
  vital_interests: 'the need to protect someone’s life (Article 6(1)(d))',
  public_task:
    'a task in the public interest: an activity that supports or promotes democratic engagement (Article 6(1)(e) and section 8(e) of the Data Protection Act 2018)',
  legitimate_interests: 'our legitimate interests (Article 6(1)(f))',
};

export const SPECIAL_CATEGORY_WORDS: Record<string, string> = {
  racial_or_ethnic_origin: 'racial or ethnic origin',
  political_opinion: 'political opinions',
  religious_or_philosophical_belief: 'religious or philosophical beliefs',
  trade_union_membership: 'trade union membership',
  genetic: 'genetic information',
  biometric: 'biometric information used to identify you',
  health: 'health',
  sex_life: 'sex life',
  sexual_orientation: 'sexual orientation',
};

const ART9_WORDS: Record<string, string> = {
  explicit_consent: 'your explicit consent (UK GDPR Article 9(2)(a))',
  employment_social_security: 'obligations under employment and social security law (Article 9(2)(b))',
  vital_interests: 'the need to protect someone’s life when they cannot consent (Article 9(2)(c))',
  not_for_profit_body:
    'our activities as a not-for-profit political body, about our members, former members and people in regular contact with us (Article 9(2)(d))',
  made_public: 'information you have clearly made public yourself (Article 9(2)(e))',
  legal_claims: 'legal claims (Article 9(2)(f))',
  substantial_public_interest: 'reasons of substantial public interest (Article 9(2)(g))',
  health_social_care: 'health or social care (Article 9(2)(h))',
  public_health: 'public health (Article 9(2)(i))',
  archiving_research: 'archiving, research or statistics (Article 9(2)(j))',
};

const SCHEDULE1_WORDS: Record<number, string> = {
  22: 'paragraph 22 of Schedule 1 to the Data Protection Act 2018 (political parties)',
};

const TRANSFER_WORDS: Record<string, string> = {
  uk_adequacy: 'the UK has approved the country as protecting personal information adequately',
  idta: 'the International Data Transfer Agreement approved by Parliament',
  uk_addendum: 'the standard contractual clauses with the UK Addendum approved by Parliament',
  us_dpf_uk_extension: 'the recipient is certified under the UK Extension to the EU–US Data Privacy Framework',
};

/** Sources people give us their details through (UK GDPR Art 13). */
const DIRECT_SOURCE_WORDS: Record<string, string> = {
  web_form: 'fill in a form on our website',
  canvass: 'talk to our canvassers',
  petition: 'sign a petition',
  event: 'sign up to an event',
  survey: 'answer a survey',
  casework: 'ask us to help with a case',
  manual_entry: 'tell our staff and volunteers directly',
  file_import: 'are in records we kept earlier',
};

/** Sources that are not the person (UK GDPR Art 14(2)(f): from which source the data originate). */
const THIRD_PARTY_SOURCE_WORDS: Record<string, string> = {
  full_register: 'the full electoral register, which electoral law entitles us to receive',
  open_register: 'the open (edited) electoral register',
  marked_register: 'the marked electoral register, which shows whether someone voted — never how',
  data_broker: 'a data supplier',
  social_media: 'a social-media platform',
  public_data: 'publicly available information',
  scraped_data: 'information collected from public websites and social-media profiles',
};

const SCOPE_WORDS: Record<string, string> = {
  custom_audiences: 'matching our lists with its users (custom audiences)',
  lookalikes: 'finding people similar to those on our lists (lookalike audiences)',
  pixels_plugins: 'its pixel and plugins on our website, used only if you accept them',
  page_insights: 'statistics about visits to our pages on the platform (page insights)',
};

const CHANNEL_WORDS: Record<string, string> = {
  email: 'email',
  sms: 'text message',
  phone: 'phone calls',
  post: 'post',
  canvassing: 'door-to-door canvassing',
};

/** The joint-controller scopes that match people's details with a platform's users. */
export const LIST_SCOPES = ['custom_audiences', 'lookalikes'] as const;

export const isUk = (t: NoticeTransfer): boolean => t.country === 'GB';
export const blank = (value: string | null | undefined): boolean =>
  value === null || value === undefined || !value.trim();

/** "a, b and c". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const unique = (items: readonly string[]): string[] => [...new Set(items.map((i) => i.trim()).filter(Boolean))];

/** A sentence ends with a full stop unless it already ends with punctuation. */
const sentence = (text: string): string => {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
};

/** Links only to the web and to email: anything else is shown as text. */
export function isSafeHref(href: string): boolean {
  return /^(https?:\/\/[^\s<>"]+|mailto:[^\s<>"@]+@[^\s<>"]+)$/i.test(href);
}

const text = (t: string): NoticeInline => ({ text: t });
const link = (href: string): NoticeInline => ({ text: href.replace(/^mailto:/i, ''), href });
const missing = (t: string): NoticeInline => ({ text: t, missing: true });
const paragraph = (...content: (NoticeInline | string)[]): NoticeBlock => ({
  kind: 'paragraph',
  content: content.map((c) => (typeof c === 'string' ? text(c) : c)),
});
const list = (items: (NoticeInline | string)[][]): NoticeBlock => ({
  kind: 'list',
  items: items.map((item) => item.map((c) => (typeof c === 'string' ? text(c) : c))),
});

// ---------------------------------------------------------------------------------------
// What the records say, derived once
// ---------------------------------------------------------------------------------------

export const has = (activity: NoticeActivity, capability: string): boolean =>
  activity.capabilities.includes(capability);

/** The arrangement an activity relies on for a scope, if it is linked and live. */
export function arrangementFor(input: NoticeInput, activity: NoticeActivity, scope: string): NoticeArrangement[] {
  return input.arrangements.filter((a) => a.scope === scope && activity.arrangementIds.includes(a.id));
}

const platformKey = (a: { platform: string; platformName?: string; name?: string }): string =>
  a.platform === 'other' ? `other:${(a.platformName ?? a.name ?? '').trim().toLowerCase()}` : a.platform;

/**
 * The platforms people's details are matched with: every live arrangement for custom
 * audiences or lookalikes (a live arrangement means the campaign uses, or is about to use,
 * the tool), in the order they were recorded.
 */
export function listMatchingPlatforms(input: NoticeInput): NoticeListMatchingPlatform[] {
  const byKey = new Map<string, NoticeListMatchingPlatform>();
  for (const a of input.arrangements) {
    if (!(LIST_SCOPES as readonly string[]).includes(a.scope)) continue;
    const key = platformKey(a);
    const entry = byKey.get(key) ?? {
      platform: a.platform,
      name: a.platformName.trim(),
      customAudiences: false,
      lookalikes: false,
    };
    if (a.scope === 'custom_audiences') entry.customAudiences = true;
    if (a.scope === 'lookalikes') entry.lookalikes = true;
    byKey.set(key, entry);
  }
  return [...byKey.values()];
}

export const profilingActivities = (input: NoticeInput): NoticeActivity[] =>
  input.activities.filter((a) => has(a, 'profiling'));

const inferredAttributes = (input: NoticeInput): NoticeAttribute[] =>
  input.attributes.filter((a) => a.kind === 'inferred');

/** Whether the notice needs a profiling section: profiling, or anything inferred about people. */
function profiles(input: NoticeInput): boolean {
  return (
    profilingActivities(input).length > 0 ||
    inferredAttributes(input).length > 0 ||
    input.activities.some((a) => a.specialCategories.some((s) => s.inferred))
  );
}

/** Where people write about their data: the privacy inbox, else the DPO. */
const rightsEmail = (input: NoticeInput): string | null =>
  !blank(input.contact.privacyEmail)
    ? input.contact.privacyEmail!.trim()
    : !blank(input.controller.dpo?.email)
      ? input.controller.dpo!.email.trim()
      : null;

/** The working link people object through: the campaign's objection page, else an email. */
export function objectionHref(input: NoticeInput): string | null {
  if (!blank(input.contact.objectionUrl)) return input.contact.objectionUrl!.trim();
  const email = rightsEmail(input);
  return email ? `mailto:${email}` : null;
}

function transferWords(t: NoticeTransfer): NoticeInline {
  const where = countryName(t.country);
  if (isUk(t)) return text(where);
  if (t.mechanism === null) return missing(`${where} (the safeguard for this transfer is not recorded)`);
  return text(`${where} (safeguard: ${TRANSFER_WORDS[t.mechanism] ?? t.mechanism})`);
}

// ---------------------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------------------

function controllerSection(input: NoticeInput): NoticeSection {
  const c = input.controller;
  const type = CONTROLLER_TYPE_WORDS[c.controllerType];
  const blocks: NoticeBlock[] = [
    paragraph(
      blank(c.name) ? missing('[the campaign’s name is not recorded]') : c.name.trim(),
      type ? `, ${type}, ` : ' ',
      'is the controller of your personal information: we decide why and how it is used. Our postal address is ',
      blank(c.postalAddress) ? missing('[the postal address is not recorded]') : c.postalAddress.trim(),
      '.',
    ),
  ];
  if (!blank(c.icoRegistrationNumber)) {
    blocks.push(
      paragraph(
        `We are registered with the Information Commissioner’s Office under number ${c.icoRegistrationNumber!.trim()}.`,
      ),
    );
  }
  if (c.dpo && !blank(c.dpo.email)) {
    blocks.push(
      paragraph(
        `Our Data Protection Officer is ${c.dpo.name.trim()}. You can contact them at `,
        link(`mailto:${c.dpo.email.trim()}`),
        c.dpo.phone && !blank(c.dpo.phone) ? ` or on ${c.dpo.phone.trim()}.` : '.',
      ),
    );
  }
  const email = rightsEmail(input);
  if (!blank(input.contact.privacyEmail) && email) {
    blocks.push(paragraph('For anything about your personal information, email ', link(`mailto:${email}`), '.'));
  } else if (!email) {
    blocks.push(paragraph('For anything about your personal information, write to us at the address above.'));
  }
  return { id: 'controller', heading: 'Who we are', blocks };
}

function listMatchingSection(input: NoticeInput): NoticeSection | null {
  const platforms = listMatchingPlatforms(input);
  const activities = input.activities.filter((a) => has(a, 'custom_audiences') || has(a, 'lookalikes'));
  if (platforms.length === 0 && activities.length === 0) return null;
  const anyLookalikes = platforms.some((p) => p.lookalikes) || activities.some((a) => has(a, 'lookalikes'));
  const names = platforms.map((p) => p.name);
  const blocks: NoticeBlock[] = [
    paragraph(
      `We match the contact details we hold about people — such as email addresses and phone numbers — with the users of ${
        names.length > 0 ? listOf(names) : 'social-media platforms'
      }, so that we can show our political messages to you there. This is called list matching (the platforms call it a “custom audience” or a “customer list”).`,
    ),
    paragraph(
      'How it works: before we upload the details, we turn each one into a scrambled code (a “hash”). The platform compares these codes with codes made in the same way from its own users’ details, and puts the users who match into an audience that we can show adverts to. Scrambling protects the details on their way to the platform, but it does not make them anonymous: the platform can still tell which of its users they belong to.',
    ),
  ];
  if (anyLookalikes) {
    blocks.push(
      paragraph(
        'Finding people like you (lookalike audiences): we also ask the platform to find other users who are similar to the people on our list, using what the platform knows about its users, and to show our messages to them too. People added to a lookalike audience may never have been in touch with us.',
      ),
    );
  }
  const items: (NoticeInline | string)[][] = [];
  for (const p of platforms) {
    const tools = [
      ...(p.customAudiences ? ['list matching (custom audiences)'] : []),
      ...(p.lookalikes ? ['lookalike audiences'] : []),
    ];
    const essences = input.arrangements.filter(
      (a) => platformKey(a) === platformKey(p) && (LIST_SCOPES as readonly string[]).includes(a.scope),
    );
    const item: (NoticeInline | string)[] = [`${p.name}: ${listOf(tools)}. What we and ${p.name} have agreed: `];
    essences.forEach((a, i) => {
      if (i > 0) item.push(' ');
      item.push(
        blank(a.essence)
          ? missing(`[the essence of the ${a.scope.replaceAll('_', ' ')} arrangement with ${p.name} is not recorded]`)
          : sentence(a.essence),
      );
    });
    items.push(item);
  }
  // An activity that does list matching without a live arrangement names no platform: a gap
  // the rules refuse (TR-LIST-MATCHING-DISCLOSED), shown here so the preview says where.
  for (const a of activities) {
    for (const scope of LIST_SCOPES) {
      if (has(a, scope) && arrangementFor(input, a, scope).length === 0) {
        items.push([missing(`[“${a.name}” uses ${SCOPE_WORDS[scope]} but no platform arrangement is linked to it]`)]);
      }
    }
  }
  if (items.length > 0) {
    blocks.push(paragraph('The platforms, and the essence of our arrangement with each:'), list(items));
  }
  const objection = objectionHref(input);
  blocks.push(
    paragraph(
      'We and each platform are jointly responsible for this matching (joint controllers), and you can use your rights with either of us. We never upload the details of anyone who has objected to our campaigning, nor use them to find similar people; if you object later, we remove you from the audiences already on the platform. To object: ',
      objection ? link(objection) : missing('[no way to object is recorded]'),
      '.',
    ),
  );
  return { id: 'list-matching', heading: 'Matching your details with social-media platforms', blocks };
}

function profilingSection(input: NoticeInput): NoticeSection | null {
  if (!profiles(input)) return null;
  const blocks: NoticeBlock[] = [
    paragraph(
      'We analyse the information we hold to estimate people’s likely views, interests and characteristics, and use these estimates to decide whom to contact and which messages to show them. This is profiling; choosing audiences this way is sometimes called micro-targeting.',
    ),
  ];
  const items = profilingActivities(input).map((a): (NoticeInline | string)[] => [
    `${a.name}: `,
    blank(a.description)
      ? missing('[what this profiling does is not described in the record]')
      : sentence(a.description),
  ]);
  if (items.length > 0) blocks.push(list(items));
  const estimates = unique([
    ...inferredAttributes(input).map((a) => a.label),
    ...input.activities.flatMap((a) =>
      a.specialCategories.filter((s) => s.inferred).map((s) => SPECIAL_CATEGORY_WORDS[s.category] ?? s.category),
    ),
  ]);
  if (estimates.length > 0) blocks.push(paragraph(`What we estimate: ${listOf(estimates)}.`));
  if (input.activities.some((a) => a.specialCategories.some((s) => s.inferred))) {
    blocks.push(
      paragraph(
        'An estimate of someone’s political opinions (or other special category information) is itself special category information, whether or not it is right: the section on sensitive information below says on what basis we make it.',
      ),
    );
  }
  const objection = objectionHref(input);
  blocks.push(
    paragraph(
      'You can object to profiling for our campaigning at any time, and we will stop: ',
      objection ? link(objection) : missing('[no way to object is recorded]'),
      '.',
    ),
  );
  return { id: 'profiling', heading: 'Profiling and targeting', blocks };
}

function objectionSection(input: NoticeInput): NoticeSection {
  const href = objectionHref(input);
  return {
    id: 'objection',
    heading: 'Your right to object to our campaigning',
    blocks: [
      paragraph(
        'You can object at any time to our using your personal information for campaigning — political direct marketing — including profiling and matching your details with social-media platforms. Your objection is free, and we must stop (UK GDPR Article 21(2) and (3)).',
      ),
      paragraph(
        !blank(input.contact.objectionUrl) ? 'Object online: ' : 'To object, email ',
        href ? link(href) : missing('[no objection page or email is recorded]'),
        '.',
      ),
      paragraph(
        'When you object, we keep a short record — a scrambled code of your contact details, not the details themselves — so that we do not add you again, for example from the electoral register.',
      ),
    ],
  };
}

function collectionSection(input: NoticeInput): NoticeSection {
  const blocks: NoticeBlock[] = [];
  const provided = unique([
    ...input.activities.flatMap((a) => a.dataCategories),
    ...input.attributes.filter((a) => a.kind === 'provided').map((a) => a.label),
  ]);
  const direct = unique(
    input.sources.map((s) => DIRECT_SOURCE_WORDS[s.type]).filter((w): w is string => w !== undefined),
  );
  blocks.push(
    paragraph(
      `Information you give us${direct.length > 0 ? ` — when you ${listOf(direct)}` : ''}${
        provided.length > 0 ? `: ${listOf(provided)}` : ''
      }.`,
    ),
  );
  const observed: string[] = [];
  if (
    input.activities.some((a) => has(a, 'pixels_plugins')) ||
    input.arrangements.some((a) => a.scope === 'pixels_plugins')
  ) {
    observed.push(
      'how you use our website, through cookies, pixels and social-media plugins — only if you accept them',
    );
  }
  if (
    input.activities.some((a) => has(a, 'page_insights')) ||
    input.arrangements.some((a) => a.scope === 'page_insights')
  ) {
    observed.push('how people interact with our pages on social-media platforms, as statistics the platform gives us');
  }
  observed.push(...input.attributes.filter((a) => a.kind === 'observed').map((a) => a.label));
  if (observed.length > 0) blocks.push(paragraph(`Information we observe: ${listOf(unique(observed))}.`));
  const inferred = unique([
    ...inferredAttributes(input).map((a) => a.label),
    ...input.activities.flatMap((a) =>
      a.specialCategories
        .filter((s) => s.inferred)
        .map((s) => `likely ${SPECIAL_CATEGORY_WORDS[s.category] ?? s.category}`),
    ),
  ]);
  if (inferred.length > 0) {
    blocks.push(paragraph(`Information we infer (work out) from the rest: ${listOf(inferred)}.`));
  }
  const thirdParty = input.sources.filter((s) => THIRD_PARTY_SOURCE_WORDS[s.type] !== undefined);
  const other = unique(input.activities.map((a) => a.otherSources));
  if (thirdParty.length > 0 || other.length > 0) {
    blocks.push(paragraph('Information we get from other organisations and from public sources:'));
    blocks.push(
      list([
        ...thirdParty.map((s): string[] => [
          `${s.name.trim()}: ${THIRD_PARTY_SOURCE_WORDS[s.type]}.${blank(s.description) ? '' : ` ${sentence(s.description)}`}`,
        ]),
        ...other.map((o) => [sentence(o)]),
      ]),
    );
  }
  return { id: 'collection', heading: 'What we collect and where it comes from', blocks };
}

function purposesSection(input: NoticeInput): NoticeSection {
  const blocks: NoticeBlock[] = [paragraph('What we use your information for, and the lawful basis for each use:')];
  if (input.activities.length === 0) {
    blocks.push(paragraph(missing('[no processing activity is in force in the record of processing]')));
  }
  for (const a of input.activities) {
    const basis: (NoticeInline | string)[] =
      a.lawfulBasis === null
        ? [missing('[no lawful basis is recorded]')]
        : [`Lawful basis: ${LAWFUL_BASIS_WORDS[a.lawfulBasis] ?? a.lawfulBasis}.`];
    if (a.lawfulBasis === 'legitimate_interests') {
      basis.push(
        ' The interest we pursue: ',
        blank(a.legitimateInterest)
          ? missing('[the interest pursued is not recorded]')
          : sentence(a.legitimateInterest!),
      );
    }
    const channels = unique(a.capabilities.map((c) => CHANNEL_WORDS[c] ?? ''));
    const items: (NoticeInline | string)[][] = [
      a.purposes.length > 0 ? [`Why: ${listOf(a.purposes)}.`] : [missing('[no purpose is recorded]')],
      basis,
    ];
    if (channels.length > 0) items.push([`How we contact people: ${listOf(channels)}.`]);
    if (a.recipients.length > 0) items.push([`Who receives it: ${listOf(unique(a.recipients))}.`]);
    blocks.push(
      paragraph(`${a.name.trim()}${blank(a.description) ? '' : ` — ${sentence(a.description)}`}`),
      list(items),
    );
  }
  return { id: 'purposes', heading: 'Why we use your information and our lawful basis', blocks };
}

function specialCategorySection(input: NoticeInput): NoticeSection | null {
  const uses = input.activities.flatMap((a) => a.specialCategories.map((s) => ({ activity: a, use: s })));
  if (uses.length === 0) return null;
  const items = uses.map(({ activity, use }): (NoticeInline | string)[] => {
    const what = SPECIAL_CATEGORY_WORDS[use.category] ?? use.category;
    const head = `${what.charAt(0).toUpperCase()}${what.slice(1)}${use.inferred ? ' (estimated by us)' : ''}, for “${activity.name.trim()}”: `;
    if (use.condition === null) return [head, missing('[no Article 9 condition is recorded]')];
    let condition = ART9_WORDS[use.condition] ?? use.condition;
    if (use.condition === 'substantial_public_interest' && use.schedule1Paragraph !== null) {
      condition += `, under ${SCHEDULE1_WORDS[use.schedule1Paragraph] ?? `paragraph ${use.schedule1Paragraph} of Schedule 1 to the Data Protection Act 2018`}`;
    }
    return [`${head}on the basis of ${condition}.`];
  });
  const blocks: NoticeBlock[] = [
    paragraph(
      'Some of the information we hold is special category information, which the law protects more strongly (UK GDPR Article 9). A list of the people who support us can reveal their political opinions even where we have not written them down.',
    ),
    list(items),
  ];
  if (input.activities.some((a) => a.appropriatePolicyDocument)) {
    blocks.push(
      paragraph(
        'Where we rely on Schedule 1 to the Data Protection Act 2018, we keep an appropriate policy document explaining how we protect this information and how long we keep it.',
      ),
    );
  }
  return { id: 'special-category', heading: 'Sensitive (special category) information', blocks };
}

function jointControllersSection(input: NoticeInput): NoticeSection | null {
  if (input.arrangements.length === 0) return null;
  return {
    id: 'joint-controllers',
    heading: 'Platforms we are jointly responsible with',
    blocks: [
      paragraph(
        'When we use these platforms’ tools, we and the platform decide together how your information is used, so we are joint controllers (UK GDPR Article 26). Below is the essence of each arrangement: who does what. Whatever it says, you can use your rights with us or with the platform.',
      ),
      list(
        input.arrangements.map((a): (NoticeInline | string)[] => [
          `${a.platformName.trim()} — ${SCOPE_WORDS[a.scope] ?? a.scope}: `,
          blank(a.essence) ? missing('[the essence of this arrangement is not recorded]') : sentence(a.essence),
        ]),
      ),
    ],
  };
}

function processorsSection(input: NoticeInput): NoticeSection | null {
  const activityTransfers = input.activities.flatMap((a) => a.transfers.filter((t) => !isUk(t)).map((t) => ({ a, t })));
  if (input.processors.length === 0 && activityTransfers.length === 0) return null;
  const blocks: NoticeBlock[] = [];
  if (input.processors.length > 0) {
    blocks.push(
      paragraph(
        'These organisations process information for us. They may act only on our instructions, under contracts the law requires (UK GDPR Article 28):',
      ),
    );
    blocks.push(
      list(
        input.processors.map((p): (NoticeInline | string)[] => {
          const item: (NoticeInline | string)[] = [
            `${p.name.trim()}${blank(p.service) ? '' : ` — ${p.service.trim()}`}. `,
          ];
          if (p.hosting.length === 0) {
            item.push(missing('[where it stores the information is not recorded]'));
          } else {
            item.push('Stores or accesses it in: ');
            p.hosting.forEach((t, i) => item.push(...(i > 0 ? [text('; ')] : []), transferWords(t)));
            item.push('.');
          }
          for (const s of p.subProcessors.filter((sp) => sp.hosting.some((t) => !isUk(t)))) {
            item.push(` Through ${s.name.trim()}, also in: `);
            s.hosting
              .filter((t) => !isUk(t))
              .forEach((t, i) => item.push(...(i > 0 ? [text('; ')] : []), transferWords(t)));
            item.push('.');
          }
          return item;
        }),
      ),
    );
  }
  if (activityTransfers.length > 0) {
    blocks.push(paragraph('We also send information outside the UK:'));
    blocks.push(
      list(
        activityTransfers.map(({ a, t }): (NoticeInline | string)[] => [
          `${blank(t.recipient) ? 'A recipient' : t.recipient.trim()}, for “${a.name.trim()}”, in `,
          transferWords(t),
          '.',
        ]),
      ),
    );
  }
  const everyHosting = [
    ...input.processors.flatMap((p) => [...p.hosting, ...p.subProcessors.flatMap((s) => s.hosting)]),
    ...input.activities.flatMap((a) => a.transfers),
  ];
  if (
    activityTransfers.length === 0 &&
    input.processors.every((p) => p.hosting.length > 0) &&
    everyHosting.every(isUk)
  ) {
    blocks.push(paragraph('None of them sends your information outside the UK.'));
  }
  return { id: 'processors', heading: 'Service providers and transfers outside the UK', blocks };
}

function retentionSection(input: NoticeInput): NoticeSection {
  return {
    id: 'retention',
    heading: 'How long we keep your information',
    blocks: [
      list(
        input.activities.map((a): (NoticeInline | string)[] => [
          `${a.name.trim()}: `,
          blank(a.retention) ? missing('[no retention period is recorded]') : sentence(a.retention!),
        ]),
      ),
      paragraph(
        'If you object to our campaigning, we keep the short record of your objection for as long as we campaign, so that we can keep respecting it.',
      ),
    ],
  };
}

function rightsSection(input: NoticeInput): NoticeSection {
  const objection = objectionHref(input);
  const bases = new Set(input.activities.map((a) => a.lawfulBasis));
  const items: (NoticeInline | string)[][] = [
    ['To get a copy of the personal information we hold about you (Article 15).'],
    ['To have information about you corrected if it is wrong or incomplete (Article 16).'],
    ['To have information about you deleted (Article 17).'],
    ['To have our use of your information restricted (Article 18).'],
    [
      'To object to our use of your information — always, for campaigning and profiling (Article 21): ',
      objection ? link(objection) : missing('[no way to object is recorded]'),
      '.',
    ],
  ];
  if (bases.has('consent') || bases.has('contract')) {
    items.push([
      'To receive information you gave us, where we rely on your consent or a contract, in a form you can reuse (Article 20).',
    ]);
  }
  if (bases.has('consent')) items.push(['To withdraw your consent at any time, where we rely on it (Article 7(3)).']);
  items.push([
    'Not to be subject to decisions with legal or similarly significant effects made about you by automated means alone (Article 22).',
  ]);
  const email = rightsEmail(input);
  const address = input.controller.postalAddress.trim();
  return {
    id: 'rights',
    heading: 'Your rights',
    blocks: [
      paragraph('You have the right:'),
      list(items),
      paragraph(
        'To use any of these rights, ',
        ...(email ? [text('email '), link(`mailto:${email}`), text(' or ')] : []),
        `write to us at ${address || '[the postal address is not recorded]'}. It is free. We answer within one month; if a request is complex we may take up to two months more, and we will tell you why within the first month.`,
      ),
    ],
  };
}

function complaintsSection(input: NoticeInput): NoticeSection {
  const email = rightsEmail(input);
  const how: (NoticeInline | string)[] = !blank(input.contact.complaintUrl)
    ? [link(input.contact.complaintUrl!.trim())]
    : email
      ? ['email ', link(`mailto:${email}`), ` or write to us at ${input.controller.postalAddress.trim()}`]
      : [`write to us at ${input.controller.postalAddress.trim()}`];
  const controllerFirst = input.asOf >= CONTROLLER_COMPLAINTS_IN_FORCE;
  const blocks: NoticeBlock[] = [
    controllerFirst
      ? paragraph(
          'If you are unhappy with how we use your personal information, please complain to us first: ',
          ...how,
          '. We will acknowledge your complaint within 30 days, look into it, and tell you the outcome without undue delay (section 164A of the Data Protection Act 2018).',
        )
      : paragraph(
          'If you are unhappy with how we use your personal information, you can complain to us: ',
          ...how,
          '.',
        ),
    paragraph(
      `You also have the right to complain to the Information Commissioner’s Office (ICO), the UK’s data protection regulator: `,
      link(ICO_COMPLAINT_URL),
      ` or ${ICO_HELPLINE}.`,
    ),
  ];
  return { id: 'complaints', heading: 'Complaints', blocks };
}

function changesSection(input: NoticeInput): NoticeSection {
  return {
    id: 'changes',
    heading: 'Changes to this notice',
    blocks: [
      paragraph(
        'We publish a new version of this notice whenever what we do with personal information changes. The current version is always at ',
        link(input.links.notice),
        '. Earlier versions, with the dates they were published: ',
        link(input.links.versions),
        '.',
      ),
    ],
  };
}

// ---------------------------------------------------------------------------------------
// Composition
// ---------------------------------------------------------------------------------------

const SECTION_ORDER = new Map<NoticeSectionId, number>(NOTICE_SECTION_IDS.map((id, i) => [id, i]));

/**
 * The English privacy notice, from the records. Sections follow NOTICE_SECTION_IDS; those with
 * nothing to say (no list matching, no special category data, …) are left out. Anything the
 * records lack is written as a `missing` run, so that a preview shows the gap; the rules
 * (the capability notice.publish) refuse to publish a notice with a gap.
 */
export function composePrivacyNotice(input: NoticeInput): NoticeDocument {
  const sections = [
    controllerSection(input),
    listMatchingSection(input),
    profilingSection(input),
    objectionSection(input),
    collectionSection(input),
    purposesSection(input),
    specialCategorySection(input),
    jointControllersSection(input),
    processorsSection(input),
    retentionSection(input),
    rightsSection(input),
    complaintsSection(input),
    changesSection(input),
  ].filter((s): s is NoticeSection => s !== null);
  sections.sort((a, b) => SECTION_ORDER.get(a.id)! - SECTION_ORDER.get(b.id)!);
  const disclosures: NoticeDisclosures = {
    listMatching: listMatchingPlatforms(input),
    profiling: sections.some((s) => s.id === 'profiling'),
  };
  const name = input.controller.name.trim();
  return {
    format: 1,
    language: 'en',
    title: `Privacy notice: ${name}`,
    controllerName: name,
    sections,
    disclosures,
  };
}

// ---------------------------------------------------------------------------------------
// Canonical text and hashes
// ---------------------------------------------------------------------------------------

const inlineText = (i: NoticeInline): string =>
  i.missing ? `[[${i.text}]]` : i.href && i.href.replace(/^mailto:/i, '') !== i.text ? `${i.text} <${i.href}>` : i.text;

function blockText(block: NoticeBlock): string {
  return block.kind === 'paragraph'
    ? block.content.map(inlineText).join('')
    : block.items.map((item) => `- ${item.map(inlineText).join('')}`).join('\n');
}

/** A section as plain text: its id, heading and blocks. */
export const canonicalSectionText = (section: NoticeSection): string =>
  [`## ${section.heading} {#${section.id}}`, ...section.blocks.map(blockText)].join('\n\n');

/**
 * The notice as one canonical plain text: what the SHA-256 of a version covers. It includes
 * the disclosures, so that two notices with the same words but different facts differ.
 */
export function canonicalNoticeText(doc: NoticeDocument): string {
  const platforms = doc.disclosures.listMatching
    .map((p) => `${p.platform}:${p.name}:${p.customAudiences ? 'list' : ''}${p.lookalikes ? '+lookalike' : ''}`)
    .join(',');
  return [
    `# ${doc.title}`,
    `language: ${doc.language}; format: ${doc.format}; list-matching: ${platforms || 'none'}; profiling: ${doc.disclosures.profiling}`,
    ...doc.sections.map(canonicalSectionText),
  ].join('\n\n');
}

export const sha256Hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

export const noticeSha256 = (doc: NoticeDocument): string => sha256Hex(canonicalNoticeText(doc));
export const sectionSha256 = (section: NoticeSection): string => sha256Hex(canonicalSectionText(section));

/** Whether any part of the notice stands in for something the records lack. */
export const hasMissingParts = (doc: NoticeDocument): boolean =>
  doc.sections.some((s) =>
    s.blocks.some((b) =>
      b.kind === 'paragraph' ? b.content.some((i) => i.missing) : b.items.some((item) => item.some((i) => i.missing)),
    ),
  );

// ---------------------------------------------------------------------------------------
// Does a notice explain list matching with a platform? (for the audiences feature)
// ---------------------------------------------------------------------------------------

/** A section counts as "near the top" when it is among the first this many. */
export const NEAR_TOP_SECTIONS = 3;

export interface ListMatchingCoverage {
  /** The notice explains it prominently and names the platform (and lookalikes, if asked). */
  explained: boolean;
  /** The section exists, before the rights section and among the first sections. */
  prominent: boolean;
  platformNamed: boolean;
  lookalikesExplained: boolean;
  /** What is missing, in words (empty when explained). */
  gaps: string[];
}

/**
 * Does this notice explain matching people's details with `platform` — prominently, naming
 * it — and, for a lookalike seed, lookalike audiences (TR-LIST-MATCHING-DISCLOSED)? `platform`
 * is a governance platform id; for 'other', `name` identifies it.
 */
export function listMatchingCoverage(
  doc: NoticeDocument,
  platform: { platform: string; name?: string },
  kind: 'list' | 'lookalike_seed' = 'list',
): ListMatchingCoverage {
  const index = doc.sections.findIndex((s) => s.id === 'list-matching');
  const rights = doc.sections.findIndex((s) => s.id === 'rights');
  const prominent = index !== -1 && index < NEAR_TOP_SECTIONS && (rights === -1 || index < rights);
  const entry = doc.disclosures.listMatching.find((p) =>
    platform.platform === 'other'
      ? p.platform === 'other' && p.name.toLowerCase() === (platform.name ?? '').trim().toLowerCase()
      : p.platform === platform.platform,
  );
  const sectionText = index === -1 ? '' : canonicalSectionText(doc.sections[index]!);
  const platformNamed = entry !== undefined && sectionText.includes(entry.name);
  const lookalikesExplained = entry?.lookalikes === true;
  const label = entry?.name ?? platform.name ?? platform.platform;
  const gaps: string[] = [];
  if (index === -1) gaps.push('does not explain matching people’s details with platforms');
  else if (!prominent) gaps.push('explains list matching only further down, not prominently');
  if (index !== -1 && !platformNamed) gaps.push(`does not name ${label}`);
  if (kind === 'lookalike_seed' && !lookalikesExplained)
    gaps.push(`does not explain lookalike audiences with ${label}`);
  return { explained: gaps.length === 0, prominent, platformNamed, lookalikesExplained, gaps };
}

export const explainsListMatching = (
  doc: NoticeDocument,
  platform: { platform: string; name?: string },
  kind: 'list' | 'lookalike_seed' = 'list',
): boolean => listMatchingCoverage(doc, platform, kind).explained;

const isPolicyPlatform = (value: string): value is PlatformId =>
  (POLICY_PLATFORMS as readonly string[]).includes(value);

/**
 * What a version explains, in the shape the transparency rules read (NoticeCoverage of
 * src/domain/rules/transparency-rules.ts): platform ids named, prominence, lookalikes, profiling.
 */
export function noticeCoverage(
  version: string,
  doc: NoticeDocument,
): {
  version: string;
  listMatching: 'prominent' | 'buried' | 'absent';
  /** The preset platforms named (the platform ids of the transparency rules). */
  platformsNamed: PlatformId[];
  /** Platforms without a preset ('other'), by name. */
  otherPlatformsNamed: string[];
  lookalikesExplained: boolean;
  profilingExplained: boolean;
  microTargetingExplained: boolean;
} {
  const index = doc.sections.findIndex((s) => s.id === 'list-matching');
  const named = doc.disclosures.listMatching.filter(
    (p) => listMatchingCoverage(doc, { platform: p.platform, name: p.name }).platformNamed,
  );
  const coverage =
    index === -1 ? 'absent' : listMatchingCoverage(doc, { platform: '' }).prominent ? 'prominent' : 'buried';
  const profilingExplained = doc.sections.some((s) => s.id === 'profiling');
  return {
    version,
    listMatching: coverage,
    platformsNamed: named.map((p) => p.platform).filter(isPolicyPlatform),
    otherPlatformsNamed: named.filter((p) => !isPolicyPlatform(p.platform)).map((p) => p.name),
    lookalikesExplained: named.some((p) => p.lookalikes),
    profilingExplained,
    microTargetingExplained: profilingExplained,
  };
}

// ---------------------------------------------------------------------------------------
// Welsh
// ---------------------------------------------------------------------------------------

/** The campaign's Welsh text of one section, and the English text it translates (by SHA-256). */
export interface SectionTranslation {
  heading: string;
  body: string;
  sourceSha256: string;
}

export interface WelshNotice {
  /** The Welsh notice, when every section has current Welsh text; null otherwise. */
  document: NoticeDocument | null;
  sections: SectionTranslationState[];
}

/** The Welsh words for "privacy notice" in the notice's title. */
export const WELSH_TITLE_PREFIX = 'Hysbysiad preifatrwydd';

const URL_OR_EMAIL = /(https?:\/\/[^\s<>"]+|[^\s@<>()"',;:]+@[^\s@<>()"',;]+\.[A-Za-z]{2,})/g;

/** Text with its web addresses and email addresses made links (trailing punctuation left out). */
export function linkify(value: string): NoticeInline[] {
  const runs: NoticeInline[] = [];
  let last = 0;
  for (const match of value.matchAll(URL_OR_EMAIL)) {
    let found = match[0];
    const trailing = /[.,;:!?)\]]+$/.exec(found)?.[0] ?? '';
    found = found.slice(0, found.length - trailing.length);
    const start = match.index;
    if (start > last) runs.push(text(value.slice(last, start)));
    runs.push(found.includes('://') ? link(found) : link(`mailto:${found}`));
    last = start + found.length;
  }
  if (last < value.length) runs.push(text(value.slice(last)));
  return runs.filter((r) => r.text !== '');
}

/**
 * Blocks from plain text, as the campaign writes its Welsh text: a blank line between
 * paragraphs, "- " or "* " at the start of each list item; web and email addresses become links.
 */
export function blocksFromText(body: string): NoticeBlock[] {
  const blocks: NoticeBlock[] = [];
  let para: string[] = [];
  let items: string[] = [];
  const flushPara = (): void => {
    if (para.length > 0) blocks.push({ kind: 'paragraph', content: linkify(para.join(' ')) });
    para = [];
  };
  const flushItems = (): void => {
    if (items.length > 0) blocks.push({ kind: 'list', items: items.map(linkify) });
    items = [];
  };
  for (const raw of body.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    const item = /^[-*•]\s+(.*)$/.exec(line);
    if (line === '') {
      flushPara();
      flushItems();
    } else if (item) {
      flushPara();
      items.push(item[1]!);
    } else {
      flushItems();
      para.push(line);
    }
  }
  flushPara();
  flushItems();
  return blocks;
}

/** A section as the plain text the Welsh editor starts from (the inverse of blocksFromText for links). */
export function sectionPlainText(section: NoticeSection): string {
  const runs = (inlines: NoticeInline[]): string => inlines.map((i) => i.text).join('');
  return section.blocks
    .map((b) => (b.kind === 'paragraph' ? runs(b.content) : b.items.map((item) => `- ${runs(item)}`).join('\n')))
    .join('\n\n');
}

const hrefsOf = (blocks: readonly NoticeBlock[]): string[] =>
  unique(
    blocks.flatMap((b) =>
      (b.kind === 'paragraph' ? b.content : b.items.flat()).flatMap((i) => (i.href ? [i.href.toLowerCase()] : [])),
    ),
  );

/**
 * The Welsh notice from the English one and the campaign's Welsh texts. A section's Welsh text
 * counts only if it translates the English text of this notice (same SHA-256) and keeps every
 * link of the English (the way to object must work in Welsh too). The Welsh notice exists only
 * when every section has such a text; otherwise `sections` says which are missing and why.
 */
export function translateNotice(
  english: NoticeDocument,
  texts: Readonly<Partial<Record<string, SectionTranslation>>>,
): WelshNotice {
  const states: SectionTranslationState[] = [];
  const sections: NoticeSection[] = [];
  for (const section of english.sections) {
    const t = texts[section.id];
    if (!t || blank(t.heading) || blank(t.body)) {
      states.push({ sectionId: section.id, status: 'missing', missingLinks: [] });
      continue;
    }
    if (t.sourceSha256 !== sectionSha256(section)) {
      states.push({ sectionId: section.id, status: 'outdated', missingLinks: [] });
      continue;
    }
    const blocks = blocksFromText(t.body);
    const welshLinks = new Set(hrefsOf(blocks));
    const missingLinks = hrefsOf(section.blocks).filter((h) => !welshLinks.has(h));
    if (missingLinks.length > 0) {
      states.push({ sectionId: section.id, status: 'links_missing', missingLinks });
      continue;
    }
    states.push({ sectionId: section.id, status: 'translated', missingLinks: [] });
    sections.push({ id: section.id, heading: t.heading.trim(), blocks });
  }
  const complete = states.every((s) => s.status === 'translated');
  return {
    document: complete
      ? {
          format: 1,
          language: 'cy',
          title: `${WELSH_TITLE_PREFIX}: ${english.controllerName}`,
          controllerName: english.controllerName,
          sections,
          disclosures: english.disclosures,
        }
      : null,
    sections: states,
  };
}

/** "list-matching (outdated), rights (missing)": the sections a Welsh notice lacks, in words. */
export function describeUntranslated(states: readonly SectionTranslationState[]): string {
  const words: Record<TranslationStatus, string> = {
    translated: 'translated',
    missing: 'no Welsh text',
    outdated: 'the English changed since it was translated',
    links_missing: 'the Welsh text leaves out a link',
  };
  return states
    .filter((s) => s.status !== 'translated')
    .map(
      (s) => `${s.sectionId} (${words[s.status]}${s.missingLinks.length > 0 ? `: ${s.missingLinks.join(', ')}` : ''})`,
    )
    .join(', ');
}

// ---------------------------------------------------------------------------------------
// Input schemas (settings, Welsh texts, deliveries)
// ---------------------------------------------------------------------------------------

const webAddress = (what: string) =>
  z
    .string()
    .trim()
    .max(2000, 'must be at most 2000 characters')
    .refine((v) => isSafeHref(v) && /^https?:\/\//i.test(v), `${what} must be a web address starting https://`)
    .refine(
      (v) => /^https:\/\//i.test(v) || /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?(\/|$)/i.test(v),
      `${what} must use https:// (people follow it from the public notice)`,
    );

export const noticeSettingsSchema = z
  .object({
    objectionUrl: webAddress('the objection page').nullable().optional(),
    privacyEmail: z.email('must be an email address').trim().toLowerCase().max(320).nullable().optional(),
    complaintUrl: webAddress('the complaint form').nullable().optional(),
  })
  .strict();
export type NoticeSettingsInput = z.output<typeof noticeSettingsSchema>;

export const translationInputSchema = z
  .object({
    heading: z.string().trim().min(1, 'write the Welsh heading').max(300, 'must be at most 300 characters'),
    body: z.string().trim().min(1, 'write the Welsh text').max(20_000, 'must be at most 20,000 characters'),
    /** The SHA-256 of the English section the text translates (as the dashboard showed it). */
    sourceSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of the English section (64 hex digits)'),
  })
  .strict();
export type TranslationInput = z.output<typeof translationInputSchema>;
