-- Product search: a weighted tsvector (expression GIN index) for words and
-- pg_trgm (GIN on "searchText") for substrings, e.g. Chinese text. Indexes on
-- expressions are maintained by PostgreSQL itself, so nothing has to be kept
-- in step by application code. Not part of the Prisma models: a datamodel
-- diff never sees (or drops) these objects.
--
-- The expression must stay character for character the same as the one in
-- src/infra/search/postgres-search-sql.ts, or the planner will not use it.
-- Punctuation becomes a space first, so "t-shirt", "a5" or "1.5" give the
-- same words as the SQLite tokenizer and the query preparation.
--
-- pg_trgm is one per database, while the tables may live in any schema (tests
-- use one schema each): it goes in "public" unless it is installed already,
-- and its operator class is named with the schema it is in.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

CREATE INDEX "Product_search_document_idx" ON "Product" USING GIN ((
    setweight(to_tsvector('simple'::regconfig, regexp_replace(lower("title"), '[[:punct:]]+', ' ', 'g')), 'A')
    || setweight(to_tsvector('simple'::regconfig, regexp_replace(lower("tags"::text), '[[:punct:]]+', ' ', 'g')), 'B')
    || setweight(to_tsvector('simple'::regconfig, regexp_replace("searchText", '[[:punct:]]+', ' ', 'g')), 'D')
));

DO $$
DECLARE
    trgm_schema name;
BEGIN
    SELECT n.nspname INTO trgm_schema
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_trgm';
    EXECUTE format('CREATE INDEX "Product_searchText_trgm_idx" ON "Product" USING GIN ("searchText" %I.gin_trgm_ops)', trgm_schema);
END
$$;
