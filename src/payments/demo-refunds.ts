import { ok } from '../shared/errors.ts';
import type { RefundGateway } from './payments.ports.ts';

/** The demo provider moved no money, so its refunds are immediate. */
export const demoRefunds: RefundGateway = {
  refund: (_order, _payment, _amount, idempotencyKey) => Promise.resolve(ok({ providerRef: `demo_${idempotencyKey}` })),
};
