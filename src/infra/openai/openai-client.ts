import OpenAI from 'openai';
import type { Config } from '../../config/env.ts';

/** Retries of the client default: the background embedding job may retry once. */
const MAX_RETRIES = 1;

/**
 * The one OpenAI client, built from config. The SDK defaults (10-minute
 * timeout, 2 retries) are replaced deliberately: a request never outlives
 * OPENAI_TIMEOUT_MS unless its caller asks for more (the batch job does),
 * and the hot paths (a chat turn, a query embedding) pass `maxRetries: 0`
 * because the local parser or the full-text order answers instead.
 */
export function createOpenAiClient(config: Pick<Config, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_TIMEOUT_MS'>): OpenAI | null {
  if (!config.OPENAI_API_KEY) return null;
  return new OpenAI({
    apiKey: config.OPENAI_API_KEY,
    ...(config.OPENAI_BASE_URL && { baseURL: config.OPENAI_BASE_URL }),
    timeout: config.OPENAI_TIMEOUT_MS,
    maxRetries: MAX_RETRIES,
  });
}
