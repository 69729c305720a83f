/**
 * A campaign is a data controller (UK GDPR Art 4(7)): the organisation that decides why and
 * how supporters' data is processed. Its type decides some legal entitlements, e.g. who may
 * hold the full electoral register (RPR 2001 Part VI) or rely on DPA 2018 Sch 1 para 22.
 */
import { z } from 'zod';
import { CONTROLLER_TYPES, type ControllerType } from '../shared/labels.js';

// The names live in src/shared so the dashboard uses the very same lists.
export { CONTROLLER_TYPES, CONTROLLER_TYPE_LABELS, type ControllerType } from '../shared/labels.js';

/** ICO data protection fee registration numbers: "Z" or "ZA"/"ZB"… followed by digits. */
export const ICO_REGISTRATION_PATTERN = /^Z[A-Z]?\d{6,7}$/;

const trimmed = (max: number) => z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`);

export const dpoContactSchema = z
  .object({
    name: trimmed(200),
    email: z.string().trim().toLowerCase().pipe(z.email('must be an email address')).pipe(z.string().max(320)),
    phone: z.string().trim().max(40).optional(),
  })
  .strict();

export const campaignInputSchema = z
  .object({
    name: trimmed(200),
    controllerType: z.enum(CONTROLLER_TYPES, { message: `must be one of ${CONTROLLER_TYPES.join(', ')}` }),
    postalAddress: trimmed(1000),
    icoRegistrationNumber: z
      .string()
      .trim()
      .toUpperCase()
      .regex(ICO_REGISTRATION_PATTERN, 'must look like an ICO registration number, e.g. ZA123456')
      .optional(),
    dpo: dpoContactSchema.optional(),
  })
  .strict();
export type CampaignInput = z.infer<typeof campaignInputSchema>;

/** A partial update; null clears an optional field (ICO number, DPO contact). */
export const campaignUpdateSchema = campaignInputSchema
  .partial()
  .extend({
    icoRegistrationNumber: campaignInputSchema.shape.icoRegistrationNumber.unwrap().nullable().optional(),
    dpo: dpoContactSchema.nullable().optional(),
  })
  .strict();
export type CampaignUpdateInput = z.infer<typeof campaignUpdateSchema>;

export interface Campaign {
  id: string;
  name: string;
  controllerType: ControllerType;
  postalAddress: string;
  icoRegistrationNumber: string | null;
  dpo: { name: string; email: string; phone: string | null } | null;
  createdAt: Date;
  updatedAt: Date;
}
