-- Faster product search (src/infra/search/postgres-product-search.ts). Like
-- the search migration before it, nothing here is a Prisma model: a datamodel
-- diff never sees (or drops) these objects, and triggers keep them in step
-- with "Product" and "Variant", so no application code has to.
--
-- 1. "ProductSearchDoc": the weighted document of each product, stored
--    (title A, tags B, searchText D; the expression of the former index
--    "Product_search_document_idx"), with the columns of "Product" that
--    searches filter and sort by. The expression index made every ranking
--    (ts_rank_cd) and every phrase or prefix recheck rebuild the document of
--    each matching product, about a second per common word at 100,000
--    products; a stored document is read, not rebuilt.
--
-- The trigger functions run with the search_path of this migration, so they
-- find these tables whichever schema the application's connection uses.
CREATE TABLE "ProductSearchDoc" (
    "productId" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "categoryId" TEXT,
    "minPrice" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "doc" tsvector NOT NULL,
    CONSTRAINT "ProductSearchDoc_pkey" PRIMARY KEY ("productId")
);

CREATE FUNCTION "product_search_document"(title TEXT, tags JSONB, search_text TEXT) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('simple'::regconfig, regexp_replace(lower(title), '[[:punct:]]+', ' ', 'g')), 'A')
        || setweight(to_tsvector('simple'::regconfig, regexp_replace(lower(tags::text), '[[:punct:]]+', ' ', 'g')), 'B')
        || setweight(to_tsvector('simple'::regconfig, regexp_replace(search_text, '[[:punct:]]+', ' ', 'g')), 'D')
$$;

INSERT INTO "ProductSearchDoc" ("productId", "storeId", "status", "categoryId", "minPrice", "createdAt", "doc")
    SELECT "id", "storeId", "status", "categoryId", "minPrice", "createdAt", "product_search_document"("title", "tags", "searchText")
    FROM "Product";

CREATE INDEX "ProductSearchDoc_doc_idx" ON "ProductSearchDoc" USING GIN ("doc");
-- Searches are short: starting parallel workers costs more (~10 ms) than they save.
ALTER TABLE "ProductSearchDoc" SET (parallel_workers = 0);

-- Sorted pages (cheapest/dearest first, newest first) walk these in order.
CREATE INDEX "ProductSearchDoc_price_idx" ON "ProductSearchDoc"("storeId", "status", "minPrice", "productId");
CREATE INDEX "ProductSearchDoc_newest_idx" ON "ProductSearchDoc"("storeId", "status", "createdAt", "productId");

-- Inserts: once per statement, so a bulk import indexes its rows in one go.
CREATE FUNCTION "product_search_doc_insert"() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO "ProductSearchDoc" ("productId", "storeId", "status", "categoryId", "minPrice", "createdAt", "doc")
        SELECT n."id", n."storeId", n."status", n."categoryId", n."minPrice", n."createdAt",
            "product_search_document"(n."title", n."tags", n."searchText")
        FROM new_products n;
    RETURN NULL;
END
$$;

CREATE TRIGGER "Product_search_doc_insert" AFTER INSERT ON "Product"
    REFERENCING NEW TABLE AS new_products
    FOR EACH STATEMENT EXECUTE FUNCTION "product_search_doc_insert"();

-- Updates: the document is rebuilt only when its text changed.
CREATE FUNCTION "product_search_doc_update"() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    UPDATE "ProductSearchDoc"
    SET "storeId" = NEW."storeId", "status" = NEW."status", "categoryId" = NEW."categoryId",
        "minPrice" = NEW."minPrice", "createdAt" = NEW."createdAt",
        "doc" = CASE
            WHEN (NEW."title", NEW."tags", NEW."searchText") IS DISTINCT FROM (OLD."title", OLD."tags", OLD."searchText")
            THEN "product_search_document"(NEW."title", NEW."tags", NEW."searchText")
            ELSE "doc" END
    WHERE "productId" = NEW."id";
    RETURN NULL;
END
$$;

CREATE TRIGGER "Product_search_doc_update"
    AFTER UPDATE OF "title", "tags", "searchText", "storeId", "status", "categoryId", "minPrice", "createdAt" ON "Product"
    FOR EACH ROW EXECUTE FUNCTION "product_search_doc_update"();

-- Deletes: once per statement (a foreign key would check every inserted row instead).
CREATE FUNCTION "product_search_doc_delete"() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM "ProductSearchDoc" d USING old_products o WHERE d."productId" = o."id";
    RETURN NULL;
END
$$;

CREATE TRIGGER "Product_search_doc_delete" AFTER DELETE ON "Product"
    REFERENCING OLD TABLE AS old_products
    FOR EACH STATEMENT EXECUTE FUNCTION "product_search_doc_delete"();

-- The expression index is no longer read; it only slowed down writes.
DROP INDEX "Product_search_document_idx";

-- 2. "VariantOption": each variant's options as (name, value) rows, both
--    lower-cased exactly as the option filter compares them (lower() under
--    COLLATE "C": ASCII only, as on SQLite). "A variant has colour red and
--    size M" becomes two index lookups instead of expanding every
--    candidate's variants' JSON.
CREATE TABLE "VariantOption" (
    "productId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    CONSTRAINT "VariantOption_pkey" PRIMARY KEY ("productId", "name", "value", "variantId")
);

ALTER TABLE "VariantOption" SET (parallel_workers = 0);

-- The other names of the same variant; and deleting a variant's rows.
CREATE INDEX "VariantOption_variantId_idx" ON "VariantOption"("variantId", "name", "value");

CREATE FUNCTION "variant_option_rows"(options JSONB) RETURNS TABLE ("name" TEXT, "value" TEXT)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT lower(o."key" COLLATE "C"), lower(o."value" COLLATE "C")
    FROM jsonb_each_text(CASE WHEN jsonb_typeof(options) = 'object' THEN options ELSE '{}'::jsonb END) o
    WHERE o."value" IS NOT NULL
$$;

CREATE FUNCTION "variant_option_insert"() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO "VariantOption" ("productId", "name", "value", "variantId")
        SELECT n."productId", o."name", o."value", n."id"
        FROM new_variants n, "variant_option_rows"(n."options") o
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER "Variant_option_insert" AFTER INSERT ON "Variant"
    REFERENCING NEW TABLE AS new_variants
    FOR EACH STATEMENT EXECUTE FUNCTION "variant_option_insert"();

CREATE FUNCTION "variant_option_update"() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM "VariantOption" WHERE "variantId" = OLD."id";
    INSERT INTO "VariantOption" ("productId", "name", "value", "variantId")
        SELECT NEW."productId", o."name", o."value", NEW."id" FROM "variant_option_rows"(NEW."options") o
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER "Variant_option_update" AFTER UPDATE OF "options", "productId" ON "Variant"
    FOR EACH ROW EXECUTE FUNCTION "variant_option_update"();

CREATE FUNCTION "variant_option_delete"() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM "VariantOption" o USING old_variants v WHERE o."variantId" = v."id";
    RETURN NULL;
END
$$;

CREATE TRIGGER "Variant_option_delete" AFTER DELETE ON "Variant"
    REFERENCING OLD TABLE AS old_variants
    FOR EACH STATEMENT EXECUTE FUNCTION "variant_option_delete"();

INSERT INTO "VariantOption" ("productId", "name", "value", "variantId")
    SELECT v."productId", o."name", o."value", v."id"
    FROM "Variant" v, "variant_option_rows"(v."options") o
    ON CONFLICT DO NOTHING;

ANALYZE "ProductSearchDoc";
ANALYZE "VariantOption";
