-- AlterTable
ALTER TABLE "Store" ADD COLUMN "staffDiscordChannelId" TEXT;
ALTER TABLE "Store" ADD COLUMN "staffTelegramChatId" TEXT;

-- AlterTable
ALTER TABLE "Cart" ADD COLUMN "shippingAddress" JSONB;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN "carrierUrl" TEXT;
ALTER TABLE "Order" ADD COLUMN "shippingAddress" JSONB;
ALTER TABLE "Order" ADD COLUMN "trackingNumber" TEXT;

-- CreateTable
CREATE TABLE "ProductDeliverable" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "label" TEXT NOT NULL DEFAULT '',
    "content" TEXT,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ProductDeliverable_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LicenseKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "deliverableId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "deliveryId" TEXT,
    "assignedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LicenseKey_deliverableId_fkey" FOREIGN KEY ("deliverableId") REFERENCES "ProductDeliverable" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OrderDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "orderId" TEXT NOT NULL,
    "slot" TEXT NOT NULL,
    "deliverableId" TEXT NOT NULL,
    "productTitle" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "label" TEXT NOT NULL DEFAULT '',
    "content" TEXT,
    "fulfilledAt" DATETIME,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "OrderDelivery_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ProductDeliverable_productId_idx" ON "ProductDeliverable"("productId");

-- CreateIndex
CREATE UNIQUE INDEX "LicenseKey_deliveryId_key" ON "LicenseKey"("deliveryId");

-- CreateIndex
CREATE INDEX "LicenseKey_deliverableId_deliveryId_idx" ON "LicenseKey"("deliverableId", "deliveryId");

-- CreateIndex
CREATE UNIQUE INDEX "LicenseKey_deliverableId_key_key" ON "LicenseKey"("deliverableId", "key");

-- CreateIndex
CREATE INDEX "OrderDelivery_deliverableId_fulfilledAt_idx" ON "OrderDelivery"("deliverableId", "fulfilledAt");

-- CreateIndex
CREATE UNIQUE INDEX "OrderDelivery_orderId_slot_key" ON "OrderDelivery"("orderId", "slot");
