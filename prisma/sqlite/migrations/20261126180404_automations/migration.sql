-- AlterTable
ALTER TABLE "Store" ADD COLUMN "automations" JSONB;

-- CreateTable
CREATE TABLE "AutomationMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "triggerKey" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "leaseUntil" DATETIME,
    "messageId" TEXT,
    "error" TEXT,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "AutomationMessage_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StockAlertRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'waiting',
    "source" TEXT NOT NULL DEFAULT 'notify_me',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" DATETIME,
    CONSTRAINT "StockAlertRequest_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "StockAlertRequest_variantId_fkey" FOREIGN KEY ("variantId") REFERENCES "Variant" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PriceWatch" (
    "variantId" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "price" INTEGER NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "PriceWatch_variantId_fkey" FOREIGN KEY ("variantId") REFERENCES "Variant" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PriceDrop" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "fromPrice" INTEGER NOT NULL,
    "toPrice" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "plannedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "AutomationMessage_status_nextAttemptAt_idx" ON "AutomationMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "AutomationMessage_customerId_status_sentAt_idx" ON "AutomationMessage"("customerId", "status", "sentAt");

-- CreateIndex
CREATE UNIQUE INDEX "AutomationMessage_kind_triggerKey_key" ON "AutomationMessage"("kind", "triggerKey");

-- CreateIndex
CREATE INDEX "StockAlertRequest_status_storeId_idx" ON "StockAlertRequest"("status", "storeId");

-- CreateIndex
CREATE INDEX "StockAlertRequest_customerId_variantId_status_idx" ON "StockAlertRequest"("customerId", "variantId", "status");

-- CreateIndex
CREATE INDEX "PriceWatch_storeId_idx" ON "PriceWatch"("storeId");

-- CreateIndex
CREATE INDEX "PriceDrop_storeId_plannedAt_idx" ON "PriceDrop"("storeId", "plannedAt");
