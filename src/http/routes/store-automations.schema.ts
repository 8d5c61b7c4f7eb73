import { z } from '@hono/zod-openapi';
import { automationLimits } from '../../marketing/automation-settings.ts';

const { delayMinutes, delayDays } = automationLimits;

const enabled = z.boolean().openapi({ description: 'Switch this automation on or off' });

/** A change to some automations; what it does not name stays as it is. */
export const AutomationsPatch = z
  .object({
    abandonedCart: z
      .object({
        enabled: enabled.optional(),
        delayMinutes: z.number().int().min(delayMinutes.min).max(delayMinutes.max).optional().openapi({ description: 'Minutes a cart must be untouched before its one reminder (default 120)' }),
      })
      .strict()
      .optional(),
    backInStock: z.object({ enabled: enabled.optional() }).strict().optional(),
    priceDrop: z.object({ enabled: enabled.optional() }).strict().optional(),
    reviewRequest: z
      .object({
        enabled: enabled.optional(),
        delayDays: z.number().int().min(delayDays.min).max(delayDays.max).optional().openapi({ description: 'Days after delivery for the review request (default 7)' }),
      })
      .strict()
      .optional(),
  })
  .strict()
  .openapi('AutomationsPatch', {
    description: 'Marketing automations: abandoned-cart reminder, back-in-stock alert, price-drop alert, review request. All off by default except back-in-stock.',
  });

export const AutomationsSchema = z
  .object({
    abandonedCart: z.object({ enabled: z.boolean(), delayMinutes: z.number().int() }),
    backInStock: z.object({ enabled: z.boolean() }),
    priceDrop: z.object({ enabled: z.boolean() }),
    reviewRequest: z.object({ enabled: z.boolean(), delayDays: z.number().int() }),
  })
  .openapi('Automations');
