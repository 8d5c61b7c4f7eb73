-- AlterTable
ALTER TABLE "Store" ADD COLUMN     "staffDiscordChannelId" TEXT,
ADD COLUMN     "staffTelegramChatId" TEXT;

-- AlterTable
ALTER TABLE "Cart" ADD COLUMN     "shippingAddress" JSONB;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "carrierUrl" TEXT,
ADD COLUMN     "shippingAddress" JSONB,
ADD COLUMN     "trackingNumber" TEXT;

-- CreateTable
CREATE TABLE "ProductDeliverable" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "label" TEXT NOT NULL DEFAULT '',
    "content" TEXT,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProductDeliverable_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LicenseKey" (
    "id" TEXT NOT NULL,
    "deliverableId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "deliveryId" TEXT,
    "assignedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LicenseKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderDelivery" (
    "id" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "slot" TEXT NOT NULL,
    "deliverableId" TEXT NOT NULL,
    "productTitle" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "label" TEXT NOT NULL DEFAULT '',
    "content" TEXT,
    "fulfilledAt" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrderDelivery_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "ProductDeliverable" ADD CONSTRAINT "ProductDeliverable_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LicenseKey" ADD CONSTRAINT "LicenseKey_deliverableId_fkey" FOREIGN KEY ("deliverableId") REFERENCES "ProductDeliverable"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderDelivery" ADD CONSTRAINT "OrderDelivery_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;
