/** The campaign being viewed, with the signed-in member's role and computed abilities. */
import { createContext, useContext } from 'react';
import type { CampaignAccess } from './api.js';
import type { Ability } from '../shared/labels.js';

export interface CampaignContextValue extends CampaignAccess {
  can(ability: Ability): boolean;
  reload(): Promise<void>;
}

export const CampaignContext = createContext<CampaignContextValue | null>(null);

export function useCampaign(): CampaignContextValue {
  const value = useContext(CampaignContext);
  if (!value) throw new Error('useCampaign outside a campaign route');
  return value;
}
