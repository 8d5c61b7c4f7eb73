-- CreateTable
CREATE TABLE "GroupDeal" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "groupPrice" INTEGER NOT NULL,
    "regularPrice" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "minPeople" INTEGER NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "createdBy" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "messageId" TEXT,
    "shownCount" INTEGER NOT NULL DEFAULT 0,
    "shownAt" TIMESTAMP(3),
    "closingAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GroupDeal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GroupDealMember" (
    "id" TEXT NOT NULL,
    "dealId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "externalUserId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'joined',
    "joinedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "outcome" TEXT,
    "orderId" TEXT,
    "notifiedAt" TIMESTAMP(3),

    CONSTRAINT "GroupDealMember_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "GroupDeal_status_endsAt_idx" ON "GroupDeal"("status", "endsAt");

-- CreateIndex
CREATE INDEX "GroupDeal_storeId_createdAt_idx" ON "GroupDeal"("storeId", "createdAt");

-- CreateIndex
CREATE INDEX "GroupDealMember_dealId_status_idx" ON "GroupDealMember"("dealId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "GroupDealMember_dealId_customerId_key" ON "GroupDealMember"("dealId", "customerId");

-- AddForeignKey
ALTER TABLE "GroupDealMember" ADD CONSTRAINT "GroupDealMember_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "GroupDeal"("id") ON DELETE CASCADE ON UPDATE CASCADE;
