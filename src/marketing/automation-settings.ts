/**
 * Which marketing automations a store runs, and their delays. Stored as JSON
 * on the store (null: all defaults); a stored value only overrides the keys
 * it names, so new automations get their defaults without a data migration.
 */

export interface AutomationSettings {
  /** A reminder for an open cart left untouched this long, once per cart. */
  abandonedCart: { enabled: boolean; delayMinutes: number };
  /** Alerts for shoppers who tapped "Notify me" on a sold-out variant. */
  backInStock: { enabled: boolean };
  /** Alerts when a product a subscriber viewed in the last 30 days gets cheaper. */
  priceDrop: { enabled: boolean };
  /** A request for a review this many days after delivery. */
  reviewRequest: { enabled: boolean; delayDays: number };
}

/**
 * Off unless the seller turns them on, except back-in-stock: it only ever
 * messages a shopper who asked for that one alert, and with it off the
 * "Notify me" button would be a dead end.
 */
export const defaultAutomationSettings: AutomationSettings = {
  abandonedCart: { enabled: false, delayMinutes: 120 },
  backInStock: { enabled: true },
  priceDrop: { enabled: false },
  reviewRequest: { enabled: false, delayDays: 7 },
};

export const automationLimits = {
  delayMinutes: { min: 15, max: 10_080 },
  delayDays: { min: 1, max: 90 },
} as const;

export type AutomationSettingsPatch = {
  [K in keyof AutomationSettings]?: Partial<AutomationSettings[K]>;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const within = (v: unknown, range: { min: number; max: number }, fallback: number): number =>
  typeof v === 'number' && Number.isInteger(v) && v >= range.min && v <= range.max ? v : fallback;

const flag = (v: unknown, fallback: boolean): boolean => (typeof v === 'boolean' ? v : fallback);

/** The settings stored JSON stands for: defaults for anything missing or out of range. */
export function automationSettingsOf(stored: unknown): AutomationSettings {
  const d = defaultAutomationSettings;
  const s = isObject(stored) ? stored : {};
  const part = (k: keyof AutomationSettings) => (isObject(s[k]) ? s[k] : {});
  return {
    abandonedCart: {
      enabled: flag(part('abandonedCart').enabled, d.abandonedCart.enabled),
      delayMinutes: within(part('abandonedCart').delayMinutes, automationLimits.delayMinutes, d.abandonedCart.delayMinutes),
    },
    backInStock: { enabled: flag(part('backInStock').enabled, d.backInStock.enabled) },
    priceDrop: { enabled: flag(part('priceDrop').enabled, d.priceDrop.enabled) },
    reviewRequest: {
      enabled: flag(part('reviewRequest').enabled, d.reviewRequest.enabled),
      delayDays: within(part('reviewRequest').delayDays, automationLimits.delayDays, d.reviewRequest.delayDays),
    },
  };
}

/** The settings after a (validated) patch: only the keys it names change. */
export function applyAutomationPatch(current: AutomationSettings, patch: AutomationSettingsPatch): AutomationSettings {
  return {
    abandonedCart: { ...current.abandonedCart, ...patch.abandonedCart },
    backInStock: { ...current.backInStock, ...patch.backInStock },
    priceDrop: { ...current.priceDrop, ...patch.priceDrop },
    reviewRequest: { ...current.reviewRequest, ...patch.reviewRequest },
  };
}
