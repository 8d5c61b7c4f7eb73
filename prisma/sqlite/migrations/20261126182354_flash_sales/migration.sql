-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Promotion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "percentBps" INTEGER,
    "amountOff" INTEGER,
    "buyQuantity" INTEGER,
    "getQuantity" INTEGER,
    "currency" TEXT NOT NULL,
    "minSubtotal" INTEGER,
    "productIds" JSONB NOT NULL,
    "categoryIds" JSONB NOT NULL,
    "firstOrderOnly" BOOLEAN NOT NULL DEFAULT false,
    "perCustomerLimit" INTEGER,
    "totalLimit" INTEGER,
    "startsAt" DATETIME,
    "endsAt" DATETIME,
    "budget" INTEGER,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "automatic" BOOLEAN NOT NULL DEFAULT false,
    "uses" INTEGER NOT NULL DEFAULT 0,
    "discountGiven" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Promotion" ("active", "amountOff", "budget", "buyQuantity", "categoryIds", "code", "createdAt", "currency", "discountGiven", "endsAt", "firstOrderOnly", "getQuantity", "id", "kind", "minSubtotal", "perCustomerLimit", "percentBps", "productIds", "startsAt", "storeId", "totalLimit", "updatedAt", "uses") SELECT "active", "amountOff", "budget", "buyQuantity", "categoryIds", "code", "createdAt", "currency", "discountGiven", "endsAt", "firstOrderOnly", "getQuantity", "id", "kind", "minSubtotal", "perCustomerLimit", "percentBps", "productIds", "startsAt", "storeId", "totalLimit", "updatedAt", "uses" FROM "Promotion";
DROP TABLE "Promotion";
ALTER TABLE "new_Promotion" RENAME TO "Promotion";
CREATE UNIQUE INDEX "Promotion_storeId_code_key" ON "Promotion"("storeId", "code");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
