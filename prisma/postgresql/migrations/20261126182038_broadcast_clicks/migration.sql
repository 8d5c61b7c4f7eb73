-- AlterTable
ALTER TABLE "BroadcastDelivery" ADD COLUMN     "clickedAt" TIMESTAMP(3);
