-- Faster product search (src/infra/search/sqlite-product-search.ts). Like the
-- search migration before it, nothing here is a Prisma model: a datamodel diff
-- never sees (or drops) these objects, and triggers keep them in step with
-- "Product" and "Variant", so no application code has to.
--
-- 1. "ProductSearchDoc" replaces "ProductSearchKey": the same document ids
--    (the FTS tables' rowids, so those tables stay as they are), plus the
--    columns of "Product" that searches filter and sort by. A search then
--    filters and orders the full-text matches on this small table alone,
--    without reading the wide "Product" rows (description, searchText…).
CREATE TABLE "ProductSearchDoc" (
    "docId" INTEGER NOT NULL PRIMARY KEY,
    "productId" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "categoryId" TEXT,
    "minPrice" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL
);

INSERT INTO "ProductSearchDoc" ("docId", "productId", "storeId", "status", "categoryId", "minPrice", "createdAt")
    SELECT k."docId", p."id", p."storeId", p."status", p."categoryId", p."minPrice", p."createdAt"
    FROM "ProductSearchKey" k JOIN "Product" p ON p."id" = k."productId";

CREATE UNIQUE INDEX "ProductSearchDoc_productId_key" ON "ProductSearchDoc"("productId");
-- Sorted pages (cheapest/dearest first, newest first) walk these in order.
CREATE INDEX "ProductSearchDoc_price_idx" ON "ProductSearchDoc"("storeId", "status", "minPrice", "productId");
CREATE INDEX "ProductSearchDoc_newest_idx" ON "ProductSearchDoc"("storeId", "status", "createdAt", "productId");

DROP TRIGGER "Product_search_insert";
DROP TRIGGER "Product_search_update";
DROP TRIGGER "Product_search_delete";
DROP TABLE "ProductSearchKey";

CREATE TRIGGER "Product_search_insert" AFTER INSERT ON "Product" BEGIN
    INSERT INTO "ProductSearchDoc" ("productId", "storeId", "status", "categoryId", "minPrice", "createdAt")
        VALUES (new."id", new."storeId", new."status", new."categoryId", new."minPrice", new."createdAt");
    INSERT INTO "ProductFts" ("rowid", "title", "tags", "body")
        VALUES ((SELECT "docId" FROM "ProductSearchDoc" WHERE "productId" = new."id"), new."title", new."tags", new."searchText");
    INSERT INTO "ProductFtsTrigram" ("rowid", "body")
        VALUES ((SELECT "docId" FROM "ProductSearchDoc" WHERE "productId" = new."id"), new."searchText");
END;

CREATE TRIGGER "Product_search_update" AFTER UPDATE OF "title", "tags", "searchText" ON "Product" BEGIN
    DELETE FROM "ProductFts" WHERE "rowid" = (SELECT "docId" FROM "ProductSearchDoc" WHERE "productId" = old."id");
    DELETE FROM "ProductFtsTrigram" WHERE "rowid" = (SELECT "docId" FROM "ProductSearchDoc" WHERE "productId" = old."id");
    INSERT INTO "ProductFts" ("rowid", "title", "tags", "body")
        VALUES ((SELECT "docId" FROM "ProductSearchDoc" WHERE "productId" = new."id"), new."title", new."tags", new."searchText");
    INSERT INTO "ProductFtsTrigram" ("rowid", "body")
        VALUES ((SELECT "docId" FROM "ProductSearchDoc" WHERE "productId" = new."id"), new."searchText");
END;

CREATE TRIGGER "Product_search_filters_update" AFTER UPDATE OF "storeId", "status", "categoryId", "minPrice", "createdAt" ON "Product" BEGIN
    UPDATE "ProductSearchDoc"
    SET "storeId" = new."storeId", "status" = new."status", "categoryId" = new."categoryId",
        "minPrice" = new."minPrice", "createdAt" = new."createdAt"
    WHERE "productId" = new."id";
END;

CREATE TRIGGER "Product_search_delete" AFTER DELETE ON "Product" BEGIN
    DELETE FROM "ProductFts" WHERE "rowid" = (SELECT "docId" FROM "ProductSearchDoc" WHERE "productId" = old."id");
    DELETE FROM "ProductFtsTrigram" WHERE "rowid" = (SELECT "docId" FROM "ProductSearchDoc" WHERE "productId" = old."id");
    DELETE FROM "ProductSearchDoc" WHERE "productId" = old."id";
END;

-- 2. "VariantOption": each variant's options as (name, value) rows, both
--    lower-cased exactly as the option filter compares them (SQLite's lower():
--    ASCII only), keyed by the product's document id. "A variant has colour
--    red and size M" becomes two primary-key lookups instead of reading and
--    parsing every candidate's variants.
CREATE TABLE "VariantOption" (
    "docId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    PRIMARY KEY ("docId", "name", "value", "variantId")
) WITHOUT ROWID;

CREATE INDEX "VariantOption_variantId_idx" ON "VariantOption"("variantId");

CREATE TRIGGER "Variant_options_insert" AFTER INSERT ON "Variant" BEGIN
    INSERT OR IGNORE INTO "VariantOption" ("docId", "name", "value", "variantId")
        SELECT (SELECT "docId" FROM "ProductSearchDoc" WHERE "productId" = new."productId"), lower(o."key"), lower(o."value"), new."id"
        FROM json_each(new."options") o WHERE o."value" IS NOT NULL;
END;

CREATE TRIGGER "Variant_options_update" AFTER UPDATE OF "options", "productId" ON "Variant" BEGIN
    DELETE FROM "VariantOption" WHERE "variantId" = old."id";
    INSERT OR IGNORE INTO "VariantOption" ("docId", "name", "value", "variantId")
        SELECT (SELECT "docId" FROM "ProductSearchDoc" WHERE "productId" = new."productId"), lower(o."key"), lower(o."value"), new."id"
        FROM json_each(new."options") o WHERE o."value" IS NOT NULL;
END;

CREATE TRIGGER "Variant_options_delete" AFTER DELETE ON "Variant" BEGIN
    DELETE FROM "VariantOption" WHERE "variantId" = old."id";
END;

INSERT OR IGNORE INTO "VariantOption" ("docId", "name", "value", "variantId")
    SELECT s."docId", lower(o."key"), lower(o."value"), v."id"
    FROM "Variant" v JOIN "ProductSearchDoc" s ON s."productId" = v."productId", json_each(v."options") o
    WHERE o."value" IS NOT NULL;
