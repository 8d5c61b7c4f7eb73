/**
 * The language model the assistant needs: one chat completion with tools.
 * src/infra/openai implements it; tests reach it through a fake server.
 */

/** A tool the model may call; `parameters` is a JSON Schema object. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** A call the model asked for; `arguments` is the model's JSON text, unvalidated. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; toolCalls?: ToolCall[] | undefined }
  | { role: 'tool'; toolCallId: string; content: string };

export interface ModelAnswer {
  content: string | null;
  toolCalls: ToolCall[];
}

export interface LanguageModel {
  /** One completion. Rejects on any failure; honours `signal` (the caller's deadline). */
  chat(request: { messages: ChatMessage[]; tools: ToolSpec[] }, opts: { signal: AbortSignal }): Promise<ModelAnswer>;
}
