import type { Config } from '../../config/env.ts';
import type { LanguageModel } from '../../conversation/assistant/language-model.ts';
import { EmbeddingIndexer } from '../../search/semantic/embedding-indexer.ts';
import { SemanticReranker } from '../../search/semantic/semantic-reranker.ts';
import type { Logger } from '../../shared/logger.ts';
import type { Db } from '../db/client.ts';
import { PrismaProductEmbeddingStore } from '../prisma/product-embedding.repository.ts';
import { createOpenAiClient } from './openai-client.ts';
import { OpenAiEmbedder } from './openai-embedder.ts';
import { OpenAiLanguageModel } from './openai-language-model.ts';

/** How often the embedding job looks for changed products. */
export const EMBED_EVERY_MS = 60_000;

export interface OpenAiFeatures {
  languageModel: LanguageModel;
  reranker: SemanticReranker;
  indexer: EmbeddingIndexer;
}

/** The language model and semantic search, or null without OPENAI_API_KEY. */
export function createOpenAi(config: Config, db: Db, log: Logger): OpenAiFeatures | null {
  const client = createOpenAiClient(config);
  if (!client) return null;
  const embedder = new OpenAiEmbedder(client, config.OPENAI_EMBEDDING_MODEL);
  const embeddings = new PrismaProductEmbeddingStore(db);
  return {
    languageModel: new OpenAiLanguageModel(client, config.OPENAI_MODEL),
    reranker: new SemanticReranker(embedder, embeddings, log, { timeoutMs: config.OPENAI_TIMEOUT_MS }),
    indexer: new EmbeddingIndexer(embedder, embeddings, log),
  };
}
