-- AlterTable
ALTER TABLE "Store" ADD COLUMN     "shippingRates" JSONB,
ADD COLUMN     "taxInclusive" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "taxRateBps" INTEGER NOT NULL DEFAULT 0;
