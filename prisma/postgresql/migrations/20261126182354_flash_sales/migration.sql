-- AlterTable
ALTER TABLE "Promotion" ADD COLUMN     "automatic" BOOLEAN NOT NULL DEFAULT false;
