/**
 * Sources: where a campaign's personal data comes from, and the duties each kind carries
 * (seed guidance: data brokers, scraping, data matching, the electoral register).
 */
import { z } from 'zod';
import {
  LAWFUL_BASES,
  SOURCE_TYPES,
  THIRD_PARTY_SOURCE_TYPES,
  type LawfulBasis,
  type SourceType,
} from '../shared/labels.js';

export { SOURCE_TYPES, THIRD_PARTY_SOURCE_TYPES, LAWFUL_BASES, type SourceType, type LawfulBasis };

export const isThirdPartySource = (type: SourceType): boolean => THIRD_PARTY_SOURCE_TYPES.includes(type);

const text = (max: number) => z.string().trim().max(max);
const required = (max: number, what: string) => z.string().trim().min(1, `${what} is required`).max(max);

/**
 * The due-diligence record for data bought or received from a third party (ICO guidance on
 * buying data; rule TP-BROKER-DUE-DILIGENCE). Every field is what the DPO should have checked
 * before the data arrives.
 */
export const dueDiligenceSchema = z.object({
  supplierName: required(200, 'the supplier name'),
  supplierIcoRegistration: required(20, "the supplier's ICO registration number"),
  /** How the supplier collected the data, in their words. */
  collectionMethod: required(2000, 'how the supplier collected the data'),
  /** Whether the people were told at collection that their data would go to campaigns like us. */
  peopleToldOfDisclosure: z.boolean(),
  /** Where consent is the basis: does it name us (or our type of organisation) and the channels? */
  consentCoversUs: z.boolean().nullable().default(null),
  /** Whether the file has been screened by the supplier against TPS/CTPS and their own suppressions. */
  supplierScreened: z.boolean(),
  checkedOn: z.iso.date('the date of the check is a date (YYYY-MM-DD)'),
  checkedBy: required(200, 'who carried out the check'),
  notes: text(4000).default(''),
});
export type DueDiligence = z.infer<typeof dueDiligenceSchema>;

export const sourceInputSchema = z.object({
  name: required(200, 'a name'),
  type: z.enum(SOURCE_TYPES),
  description: text(4000).default(''),
  collectionPurpose: text(2000).default(''),
  lawfulBasis: z.enum(LAWFUL_BASES).nullable().default(null),
  lawfulBasisNote: text(4000).nullable().default(null),
  art9Condition: text(2000).nullable().default(null),
  dueDiligence: dueDiligenceSchema.nullable().default(null),
  art14Plan: text(4000).nullable().default(null),
  compatibilityAssessment: text(4000).nullable().default(null),
});
export type SourceInput = z.infer<typeof sourceInputSchema>;

export const sourceUpdateSchema = sourceInputSchema.partial().extend({ archived: z.boolean().optional() });
export type SourceUpdate = z.infer<typeof sourceUpdateSchema>;

export interface Source {
  id: string;
  name: string;
  type: SourceType;
  thirdParty: boolean;
  description: string;
  collectionPurpose: string;
  lawfulBasis: LawfulBasis | null;
  lawfulBasisNote: string | null;
  art9Condition: string | null;
  dueDiligence: DueDiligence | null;
  art14Plan: string | null;
  compatibilityAssessment: string | null;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}
