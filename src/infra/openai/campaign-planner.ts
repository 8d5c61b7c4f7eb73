import type OpenAI from 'openai';
import type { Config } from '../../config/env.ts';
import { CAMPAIGN_TOOL } from '../../marketing/campaign-request.ts';
import type { CampaignPlanAnswer, CampaignPlanner, CampaignPlanRequest } from '../../marketing/campaign.ports.ts';
import { createOpenAiClient } from './openai-client.ts';

const MAX_COMPLETION_TOKENS = 800;

/**
 * The campaign planner over Chat Completions: one forced, strict function
 * call whose arguments the campaign module validates and checks. No retry:
 * the caller's deadline is the seller's wait.
 */
export class OpenAiCampaignPlanner implements CampaignPlanner {
  constructor(
    private readonly client: OpenAI,
    private readonly model: string,
  ) {}

  async plan(request: CampaignPlanRequest, opts: { signal: AbortSignal }): Promise<CampaignPlanAnswer> {
    const completion = await this.client.chat.completions.create(
      {
        model: this.model,
        messages: [
          { role: 'system', content: request.system },
          { role: 'user', content: request.sentence },
        ],
        tools: [
          {
            type: 'function',
            function: {
              name: CAMPAIGN_TOOL,
              description: 'Propose the campaign draft the seller will confirm',
              parameters: request.parameters,
              strict: true,
            },
          },
        ],
        tool_choice: { type: 'function', function: { name: CAMPAIGN_TOOL } },
        max_completion_tokens: MAX_COMPLETION_TOKENS,
      },
      { signal: opts.signal, maxRetries: 0 },
    );
    const message = completion.choices[0]?.message;
    if (!message) throw new Error('the model returned no choice');
    const call = (message.tool_calls ?? []).find((c) => c.type === 'function' && c.function.name === CAMPAIGN_TOOL);
    return call?.type === 'function' ? { kind: 'draft', arguments: call.function.arguments } : { kind: 'text', text: message.content };
  }
}

/** The planner, or null without OPENAI_API_KEY (sellers then build campaigns step by step). */
export function createCampaignPlanner(
  config: Pick<Config, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_TIMEOUT_MS' | 'OPENAI_MODEL'>,
): CampaignPlanner | null {
  const client = createOpenAiClient(config);
  return client ? new OpenAiCampaignPlanner(client, config.OPENAI_MODEL) : null;
}
