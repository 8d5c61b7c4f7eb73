import { ok } from '../shared/errors.ts';
import type { OrderRecord } from '../orders/orders.types.ts';
import type { PaymentProvider, PaymentSession } from './checkout.ports.ts';

/**
 * The embedded default when no payment key is set: a page served by the core
 * that says plainly it is a demo (see src/http/routes/demo-pay.routes.ts).
 */
export class DemoPaymentProvider implements PaymentProvider {
  readonly name = 'demo';
  constructor(private readonly publicUrl: string) {}

  createSession(order: OrderRecord) {
    const session: PaymentSession = {
      provider: this.name,
      url: `${this.publicUrl}/pay/demo/${encodeURIComponent(order.id)}`,
      providerRef: `demo_${order.id}`,
    };
    return Promise.resolve(ok(session));
  }
}
