/**
 * How a product's KooGallery pricing modes become the ECS charging mode of the buyer template.
 *
 * A market image is billed with the ECS that runs it: yearly/monthly images on a prePaid
 * (yearly/monthly) ECS order, pay-per-use images on a postPaid (pay-per-use) ECS. A template
 * that let the buyer pick the other mode would deploy a product the seller does not sell.
 * Pricing modes: KooGallery seller guide, "Releasing Images" (select a pricing mode:
 * yearly/monthly, pay-per-use, per vCPU, free image),
 * https://support.huaweicloud.com/intl/en-us/sp-marketplace/en-us_sp_topic_0000014.html;
 * charging modes: huaweicloud_compute_instance `charging_mode` (prePaid, postPaid).
 *
 * Per-vCPU and free images: the docs do not tie them to one ECS billing mode, so both modes
 * stay open for them (unconfirmed; narrow listing.pricingModes to yearly-monthly or
 * pay-per-use to pin one).
 */
import type { Listing, PricingMode } from '../definition/listing.js';

export type ChargingMode = 'prePaid' | 'postPaid';

const MODES_OF: Readonly<Record<PricingMode, readonly ChargingMode[]>> = {
  'yearly-monthly': ['prePaid'],
  'pay-per-use': ['postPaid'],
  'per-vcpu': ['postPaid', 'prePaid'],
  free: ['postPaid', 'prePaid'],
};

export const CHARGING_MODE_NAMES: Readonly<Record<ChargingMode, { en: string; zh: string }>> = {
  prePaid: { en: 'yearly/monthly', zh: '包年/包月' },
  postPaid: { en: 'pay-per-use', zh: '按需计费' },
};

export interface TemplatePricing {
  /** The charging modes the buyer may choose, postPaid first when both. */
  readonly allowed: readonly ChargingMode[];
  readonly default: ChargingMode;
}

/** The template's charging modes for a listing's pricing modes (and its defaultPricingMode). */
export function templatePricing(listing: Pick<Listing, 'pricingModes' | 'defaultPricingMode'>): TemplatePricing {
  const allowed = (['postPaid', 'prePaid'] as const).filter((m) => listing.pricingModes.some((p) => MODES_OF[p].includes(m)));
  const mode = listing.defaultPricingMode ?? listing.pricingModes[0];
  return { allowed, default: MODES_OF[mode][0] };
}
