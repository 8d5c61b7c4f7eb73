import type OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ChatMessage, LanguageModel, ModelAnswer, ToolSpec } from '../../conversation/assistant/language-model.ts';

/** Keeps the closing sentence short and the bill small. */
const MAX_COMPLETION_TOKENS = 400;

function toParam(m: ChatMessage): ChatCompletionMessageParam {
  switch (m.role) {
    case 'system':
    case 'user':
      return { role: m.role, content: m.content };
    case 'assistant':
      return {
        role: 'assistant',
        content: m.content,
        ...(m.toolCalls?.length && {
          tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })),
        }),
      };
    case 'tool':
      return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
  }
}

/** The assistant's LanguageModel port over Chat Completions with function tools. */
export class OpenAiLanguageModel implements LanguageModel {
  constructor(
    private readonly client: OpenAI,
    private readonly model: string,
  ) {}

  async chat(request: { messages: ChatMessage[]; tools: ToolSpec[] }, opts: { signal: AbortSignal }): Promise<ModelAnswer> {
    const completion = await this.client.chat.completions.create(
      {
        model: this.model,
        messages: request.messages.map(toParam),
        tools: request.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } })),
        tool_choice: 'auto',
        max_completion_tokens: MAX_COMPLETION_TOKENS,
      },
      // The caller's deadline cuts the request; no retry on this hot path.
      { signal: opts.signal, maxRetries: 0 },
    );
    const message = completion.choices[0]?.message;
    if (!message) throw new Error('the model returned no choice');
    return {
      content: message.content,
      toolCalls: (message.tool_calls ?? []).flatMap((c) => (c.type === 'function' ? [{ id: c.id, name: c.function.name, arguments: c.function.arguments }] : [])),
    };
  }
}
