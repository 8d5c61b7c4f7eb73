import { notFound } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { ErasureReport, PersonalData, PersonalDataRepository } from './privacy.ports.ts';

/** /privacy and /forgetme: what is kept about a customer, and erasing it. */
export class PrivacyService {
  constructor(
    private readonly repo: PersonalDataRepository,
    private readonly log: Logger,
  ) {}

  async export(storeId: string, customerId: string): Promise<PersonalData> {
    const data = await this.repo.export(storeId, customerId);
    if (!data) throw notFound('Customer');
    return data;
  }

  async erase(storeId: string, customerId: string, actor: string): Promise<ErasureReport> {
    const report = await this.repo.erase(storeId, customerId);
    if (!report) throw notFound('Customer');
    // The log says that it happened and who asked, never whose data it was beyond the id.
    this.log.info({ storeId, customerId, actor, ...report }, 'customer personal data erased');
    return report;
  }
}
