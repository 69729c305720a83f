import { z } from 'zod';
import { notFound } from '../../domain/errors.js';
import { isUuid } from '../../domain/people.js';

/** A path id that is not a UUID names nothing: 404, like an id of another campaign. */
export function idParam(params: unknown, name: string, what: string): string {
  const value = (params as Record<string, unknown> | undefined)?.[name];
  if (typeof value !== 'string' || !isUuid(value)) throw notFound(what);
  return value.toLowerCase();
}

export const campaignParams = z.object({ campaignId: z.uuid() });
