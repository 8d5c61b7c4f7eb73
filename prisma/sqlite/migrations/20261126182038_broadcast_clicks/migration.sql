-- AlterTable
ALTER TABLE "BroadcastDelivery" ADD COLUMN "clickedAt" DATETIME;
