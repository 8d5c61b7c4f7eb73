import type { Money } from '../shared/money.ts';
import type { Funnel } from './analytics.ports.ts';

/** Orders that moved to paid in the period, per currency. */
export interface PaidTotals {
  currency: string;
  orders: number;
  /** Sum of the orders' totals, minor units. */
  total: number;
}

/** One product's sales in the period (grouped by the title it was sold under). */
export interface ProductSales {
  title: string;
  currency: string;
  units: number;
  /** Sum of the line totals, minor units. */
  revenue: number;
}

/** Payments refunded (in full or in part) whose latest refund falls in the period, per currency. */
export interface RefundTotals {
  currency: string;
  orders: number;
  /** What has been refunded on those payments, minor units. */
  amount: number;
}

/** What a campaign (a campaign link, or a broadcast) brought in the period. */
export interface CampaignSales {
  /** "link:<campaign>" or "broadcast:<first words of the message>". */
  name: string;
  /** Shoppers it brought (link followers, or Buy-button clickers). */
  shoppers: number;
  /** Their orders paid in the period (links: since they arrived; broadcasts: within 7 days of the click). */
  orders: number;
  revenue: Money[];
}

export interface SalesReportRepository {
  /** Campaign links and broadcasts, by orders then shoppers. */
  topCampaigns?(storeId: string, since: Date, limit: number): Promise<CampaignSales[]>;
  paidTotals(storeId: string, since: Date): Promise<PaidTotals[]>;
  /** Best sellers by units, then revenue. */
  topProducts(storeId: string, since: Date, limit: number): Promise<ProductSales[]>;
  refunds(storeId: string, since: Date): Promise<RefundTotals[]>;
}

/** Where the shopper funnel comes from (AnalyticsService). */
export interface FunnelSource {
  funnel(storeId: string, since: Date): Promise<Funnel>;
}

export interface SalesReport {
  storeId: string;
  period: { days: number; from: Date; to: Date };
  /** Product views → add to cart → checkouts started → orders paid. */
  funnel: Funnel;
  ordersPaid: number;
  /** Gross revenue of the orders paid in the period, one entry per currency (minor units). */
  revenue: Money[];
  /** Revenue / orders paid, per currency, rounded to the minor unit. */
  averageOrderValue: Money[];
  /** Top 5 by units sold, then revenue. */
  topProducts: { title: string; units: number; revenue: Money }[];
  /** Top 5 campaign links and broadcasts by paid orders, then shoppers brought. */
  topCampaigns: CampaignSales[];
  refunds: { orders: number; amount: Money[] };
}
