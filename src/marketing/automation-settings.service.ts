import { applyAutomationPatch, automationSettingsOf, type AutomationSettings, type AutomationSettingsPatch } from './automation-settings.ts';
import type { AutomationRepository } from './automation.ports.ts';

/** A store's automation switches and delays (defaults in automation-settings.ts). */
export class AutomationSettingsService {
  constructor(private readonly repo: Pick<AutomationRepository, 'settings' | 'saveSettings'>) {}

  async get(storeId: string): Promise<AutomationSettings> {
    return automationSettingsOf(await this.repo.settings(storeId));
  }

  /** Changes only what the (validated) patch names; returns the settings now in force. */
  async update(storeId: string, patch: AutomationSettingsPatch): Promise<AutomationSettings> {
    const next = applyAutomationPatch(await this.get(storeId), patch);
    await this.repo.saveSettings(storeId, next);
    return next;
  }
}
