/**
 * A campaign whose records are complete, as the privacy notice reads them (NoticeInput), and
 * builders for the variations: for the notice's tests and the rules engine's.
 */
import type {
  NoticeActivity,
  NoticeArrangement,
  NoticeInput,
  NoticeProcessor,
} from '../../src/domain/privacy-notice.js';
import { META_ESSENCE } from './privacy-notice.js';

export { META_ESSENCE };

export function activity(overrides: Partial<NoticeActivity> = {}): NoticeActivity {
  return {
    id: 'act-1',
    name: 'Supporter updates',
    description: 'Keeping supporters informed about the campaign.',
    purposes: ['sending campaign news to supporters'],
    lawfulBasis: 'public_task',
    legitimateInterest: null,
    dataCategories: ['name', 'email address'],
    specialCategories: [],
    appropriatePolicyDocument: false,
    recipients: [],
    retention: 'Until three months after the election',
    otherSources: '',
    transfers: [],
    capabilities: ['email'],
    arrangementIds: [],
    processorIds: [],
    ...overrides,
  };
}

export function arrangement(overrides: Partial<NoticeArrangement> = {}): NoticeArrangement {
  return {
    id: 'arr-meta-ca',
    platform: 'meta',
    platformName: 'Meta',
    scope: 'custom_audiences',
    essence: META_ESSENCE,
    ...overrides,
  };
}

export function processor(overrides: Partial<NoticeProcessor> = {}): NoticeProcessor {
  return {
    id: 'proc-1',
    name: 'Mailer Ltd',
    service: 'sending email',
    hosting: [{ country: 'GB', mechanism: null, recipient: '' }],
    subProcessors: [],
    ...overrides,
  };
}

export function input(overrides: Partial<NoticeInput> = {}): NoticeInput {
  return {
    controller: {
      name: 'Riverside Greens',
      controllerType: 'registered_party',
      postalAddress: '1 High Street, Exampletown, EX1 1AA',
      icoRegistrationNumber: 'ZA123456',
      dpo: { name: 'Dee Pio', email: 'dpo@riverside.example', phone: null },
    },
    contact: { objectionUrl: 'https://riverside.example/object', privacyEmail: null, complaintUrl: null },
    sources: [{ name: 'Website sign-ups', type: 'web_form', description: '' }],
    attributes: [],
    activities: [activity()],
    arrangements: [],
    processors: [],
    links: {
      notice: 'https://canvass.example/p/c1/privacy-notice',
      versions: 'https://canvass.example/p/c1/privacy-notice/versions',
    },
    asOf: '2026-11-29',
    ...overrides,
  };
}
