import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Reads of KYC cases that several resolvers share. */
@Injectable()
export class KycCasesStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * For each case: whether another account was approved with the same identity document
   * (such a case cannot be approved). Unknown ids and cases without a fingerprint yet are false.
   */
  async documentsAlreadyUsed(caseIds: string[]): Promise<Map<string, boolean>> {
    const result = new Map(caseIds.map((id) => [id, false]));
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT c.id FROM kyc_cases c
         JOIN member_documents m ON m.fingerprint = c.document_fingerprint AND m.user_id <> c.user_id
        WHERE c.id = ANY($1::uuid[])`,
      [caseIds],
    );
    for (const { id } of rows) result.set(id, true);
    return result;
  }
}
