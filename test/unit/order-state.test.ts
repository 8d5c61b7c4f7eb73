import { describe, expect, it } from 'vitest';
import { allowedTransitions, orderStatuses, transitionEffect } from '../../src/orders/order-state.ts';

describe('order state machine', () => {
  it('takes the happy path with the right stock effects', () => {
    expect(transitionEffect('pending_payment', 'paid')).toBe('commit');
    expect(transitionEffect('paid', 'fulfilled')).toBeNull();
    expect(transitionEffect('fulfilled', 'shipped')).toBeNull();
    expect(transitionEffect('shipped', 'delivered')).toBeNull();
  });

  it('releases held stock when an unpaid order is cancelled and restocks returns', () => {
    expect(transitionEffect('pending_payment', 'cancelled')).toBe('release');
    expect(transitionEffect('shipped', 'returned')).toBe('restock');
    expect(transitionEffect('paid', 'cancelled')).toBe('restock');
  });

  it('refuses illegal moves', () => {
    expect(transitionEffect('pending_payment', 'shipped')).toBeUndefined();
    expect(transitionEffect('cancelled', 'paid')).toBeUndefined();
    expect(transitionEffect('delivered', 'pending_payment')).toBeUndefined();
    expect(transitionEffect('paid', 'paid')).toBeUndefined();
  });

  it('has terminal states only where expected and never points at unknown statuses', () => {
    expect(allowedTransitions('cancelled')).toEqual([]);
    expect(allowedTransitions('refunded')).toEqual([]);
    for (const s of orderStatuses) for (const t of allowedTransitions(s)) expect(orderStatuses).toContain(t);
  });
});
