import { Deadline } from '../../shared/deadline.ts';
import type { Logger } from '../../shared/logger.ts';
import type { Reply } from '../conversation.types.ts';
import type { Assistant, AssistantResult, EngineDeps, TurnContext } from '../engine.ports.ts';
import { menuButtons } from '../handlers/menu.handlers.ts';
import type { ConversationMemory } from '../state.ts';
import { groundedSentence } from './grounded-sentence.ts';
import type { ChatMessage, LanguageModel } from './language-model.ts';
import { systemPrompt } from './prompt.ts';
import { runTool } from './tool-runner.ts';
import { toolSpecs } from './tools.ts';

export interface ModelAssistantOptions {
  /** Whole-turn budget; past it the local parser answers. */
  timeoutMs: number;
  /** Model calls per turn (tool rounds plus the closing sentence). */
  maxRounds?: number | undefined;
  /** Tool calls run per round; more are answered with an error. */
  maxCallsPerRound?: number | undefined;
  /** Remembered history entries per chat. */
  historySize?: number | undefined;
}

type HistoryEntry = NonNullable<ConversationMemory['modelHistory']>[number];

const HISTORY_CHARS = 400;

/**
 * The engine's Assistant backed by a language model with typed tools. Tools
 * run through the engine's handlers, so the shopper sees the engine's own
 * cards with database prices, plus at most one short, grounded sentence.
 * Returns null (the local parser answers) when the model is slow or fails
 * before anything was shown.
 */
export class ModelAssistant implements Assistant {
  private readonly maxRounds: number;
  private readonly maxCalls: number;
  private readonly historySize: number;

  constructor(
    private readonly deps: EngineDeps,
    private readonly model: LanguageModel,
    private readonly log: Logger,
    private readonly opts: ModelAssistantOptions,
  ) {
    this.maxRounds = opts.maxRounds ?? 3;
    this.maxCalls = opts.maxCallsPerRound ?? 4;
    this.historySize = opts.historySize ?? 6;
  }

  async interpret(ctx: TurnContext, text: string): Promise<AssistantResult | null> {
    const started = performance.now();
    const deadline = new Deadline(this.opts.timeoutMs);
    const shown = new Map<string, Reply[]>();
    const facts: string[] = [];
    try {
      const vocab = await deadline.race(this.deps.search.vocabulary(ctx.store.id));
      const messages: ChatMessage[] = [
        { role: 'system', content: systemPrompt(ctx, vocab) },
        ...(ctx.memory.modelHistory ?? []).map((h): ChatMessage => ({ role: h.role, content: h.text })),
        { role: 'user', content: text },
      ];
      for (let round = 0; round < this.maxRounds; round++) {
        const answer = await deadline.race(this.model.chat({ messages, tools: toolSpecs }, { signal: deadline.signal }));
        if (answer.toolCalls.length === 0) return this.finish(ctx, text, answer.content, shown, facts);
        messages.push({ role: 'assistant', content: answer.content, toolCalls: answer.toolCalls });
        for (const [i, call] of answer.toolCalls.entries()) {
          // Every tool call gets its tool message, as the API requires.
          const outcome =
            i < this.maxCalls ? await runTool(this.deps, ctx, call, text) : { replies: [], result: { ok: false, error: 'too many tool calls in one turn' } };
          // The last call of a tool wins (a refined search replaces the first one).
          if (outcome.replies.length) {
            shown.delete(call.name);
            shown.set(call.name, outcome.replies);
          }
          const content = JSON.stringify(outcome.result);
          facts.push(content);
          messages.push({ role: 'tool', toolCallId: call.id, content });
        }
      }
      return this.finish(ctx, text, null, shown, facts);
    } catch (err) {
      const ms = Math.round(performance.now() - started);
      this.log.warn({ err: err instanceof Error ? err.message : String(err), ms, store: ctx.store.slug }, 'language model failed; the local parser answers');
      // Tools already ran (a search shown, a confirmation pending): show that rather than start over.
      return shown.size ? this.finish(ctx, text, null, shown, facts) : null;
    } finally {
      deadline.dispose();
    }
  }

  private finish(ctx: TurnContext, text: string, content: string | null, shown: Map<string, Reply[]>, facts: string[]): AssistantResult | null {
    const replies = [...shown.values()].flat();
    const sentence = groundedSentence(content, facts.join('\n'), text);
    if (!replies.length && !sentence) return null;
    this.remember(ctx, text, sentence, replies);
    if (!replies.length) return { kind: 'replies', replies: [{ type: 'text', text: sentence ?? '', buttons: menuButtons(ctx) }] };
    return { kind: 'replies', replies: sentence ? [{ type: 'text', text: sentence }, ...replies] : replies };
  }

  /** A short per-chat history so "add the second one" makes sense to the model next turn. */
  private remember(ctx: TurnContext, text: string, sentence: string | null, replies: Reply[]): void {
    const seen = replies.flatMap((r) => {
      if (r.type === 'products') return r.items.map((p) => `${p.title} (product_id ${p.id})`);
      if (r.type === 'product') return [`${r.product.title} (product_id ${r.product.id})`];
      return r.type === 'text' || r.type === 'image' ? [] : [r.type];
    });
    const said = [sentence, seen.length ? `[shown: ${seen.join('; ')}]` : ''].filter(Boolean).join(' ');
    const entries: HistoryEntry[] = [
      { role: 'user', text: text.slice(0, HISTORY_CHARS) },
      { role: 'assistant', text: said.slice(0, HISTORY_CHARS) || '[shown]' },
    ];
    ctx.memory.modelHistory = [...(ctx.memory.modelHistory ?? []), ...entries].slice(-this.historySize);
  }
}
