import type OpenAI from 'openai';
import type { TextEmbedder } from '../../search/semantic/semantic.ports.ts';

/**
 * Embeddings over the OpenAI API. The SDK asks for base64 (Float32 little
 * endian) and decodes it when no encoding_format is given, which is what we
 * rely on: vectors arrive as plain numbers.
 */
export class OpenAiEmbedder implements TextEmbedder {
  constructor(
    private readonly client: OpenAI,
    readonly model: string,
  ) {}

  async embed(texts: string[], opts: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined; retries?: number | undefined } = {}): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const res = await this.client.embeddings.create(
      { model: this.model, input: texts },
      {
        ...(opts.signal && { signal: opts.signal }),
        ...(opts.timeoutMs !== undefined && { timeout: opts.timeoutMs }),
        ...(opts.retries !== undefined && { maxRetries: opts.retries }),
      },
    );
    const out: Float32Array[] = new Array<Float32Array>(texts.length);
    for (const d of res.data) out[d.index] = Float32Array.from(d.embedding);
    if (out.some((v) => v === undefined) || res.data.length !== texts.length) throw new Error('embeddings response does not match the input');
    return out;
  }
}
