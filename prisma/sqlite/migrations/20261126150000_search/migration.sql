-- Product search (FTS5), kept in step with "Product" by triggers, so no
-- application code has to remember to update it. Not part of the Prisma
-- models: a datamodel diff never sees (or drops) these objects.
--
-- "ProductSearchKey" gives each product a stable integer document id: FTS5
-- rows are keyed by integer, and Product's own rowid may change on VACUUM.
CREATE TABLE "ProductSearchKey" (
    "docId" INTEGER NOT NULL PRIMARY KEY,
    "productId" TEXT NOT NULL
);

CREATE UNIQUE INDEX "ProductSearchKey_productId_key" ON "ProductSearchKey"("productId");

-- Words: title, tags and the denormalised searchText (which holds title,
-- description, tags, category, SKUs and option values), ranked with bm25.
CREATE VIRTUAL TABLE "ProductFts" USING fts5(
    "title", "tags", "body",
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Substrings (scripts written without spaces, e.g. Chinese) via trigrams.
CREATE VIRTUAL TABLE "ProductFtsTrigram" USING fts5(
    "body",
    content = '', contentless_delete = 1,
    tokenize = 'trigram'
);

CREATE TRIGGER "Product_search_insert" AFTER INSERT ON "Product" BEGIN
    INSERT INTO "ProductSearchKey" ("productId") VALUES (new."id");
    INSERT INTO "ProductFts" ("rowid", "title", "tags", "body")
        VALUES ((SELECT "docId" FROM "ProductSearchKey" WHERE "productId" = new."id"), new."title", new."tags", new."searchText");
    INSERT INTO "ProductFtsTrigram" ("rowid", "body")
        VALUES ((SELECT "docId" FROM "ProductSearchKey" WHERE "productId" = new."id"), new."searchText");
END;

CREATE TRIGGER "Product_search_update" AFTER UPDATE OF "title", "tags", "searchText" ON "Product" BEGIN
    DELETE FROM "ProductFts" WHERE "rowid" = (SELECT "docId" FROM "ProductSearchKey" WHERE "productId" = old."id");
    DELETE FROM "ProductFtsTrigram" WHERE "rowid" = (SELECT "docId" FROM "ProductSearchKey" WHERE "productId" = old."id");
    INSERT INTO "ProductFts" ("rowid", "title", "tags", "body")
        VALUES ((SELECT "docId" FROM "ProductSearchKey" WHERE "productId" = new."id"), new."title", new."tags", new."searchText");
    INSERT INTO "ProductFtsTrigram" ("rowid", "body")
        VALUES ((SELECT "docId" FROM "ProductSearchKey" WHERE "productId" = new."id"), new."searchText");
END;

CREATE TRIGGER "Product_search_delete" AFTER DELETE ON "Product" BEGIN
    DELETE FROM "ProductFts" WHERE "rowid" = (SELECT "docId" FROM "ProductSearchKey" WHERE "productId" = old."id");
    DELETE FROM "ProductFtsTrigram" WHERE "rowid" = (SELECT "docId" FROM "ProductSearchKey" WHERE "productId" = old."id");
    DELETE FROM "ProductSearchKey" WHERE "productId" = old."id";
END;

-- Backfill the products that exist already.
INSERT INTO "ProductSearchKey" ("productId") SELECT "id" FROM "Product" ORDER BY "createdAt", "id";

INSERT INTO "ProductFts" ("rowid", "title", "tags", "body")
    SELECT k."docId", p."title", p."tags", p."searchText" FROM "Product" p JOIN "ProductSearchKey" k ON k."productId" = p."id";

INSERT INTO "ProductFtsTrigram" ("rowid", "body")
    SELECT k."docId", p."searchText" FROM "Product" p JOIN "ProductSearchKey" k ON k."productId" = p."id";
