import { Injectable } from '@nestjs/common';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { DataSource } from 'typeorm';

export interface ChainTransfer {
  /** The transfer's reference and idempotency key: the same withdrawal is never sent twice. */
  withdrawalId: string;
  toAddress: string;
  /** BTRST, decimal string. */
  amount: string;
}

/**
 * What the chain knows of a transfer, by its reference (the withdrawal id):
 * - CONFIRMED: it happened (with its hash);
 * - PENDING: sent, not final yet: it may still happen;
 * - NOT_FOUND: never sent, and can no longer be (an adapter must not answer NOT_FOUND for a
 *   transfer still in flight);
 * - FAILED: sent and refused for good (reverted): it will not happen.
 */
export type TransferStatus = { status: 'CONFIRMED'; txHash: string } | { status: 'PENDING' | 'NOT_FOUND' | 'FAILED' };

/** Moves BTRST on chain. Implementations must be idempotent on `withdrawalId`. */
export abstract class ChainAdapter {
  /**
   * Resolves with the transaction hash once the transfer is submitted. A rejection does NOT
   * mean nothing was sent (the answer may have been lost): ask `statusOf` before giving up.
   */
  abstract transfer(transfer: ChainTransfer): Promise<{ txHash: string }>;
  /** The transfer's status by its reference; rejects when the chain cannot be asked (try later). */
  abstract statusOf(withdrawalId: string): Promise<TransferStatus>;
}

/** Addresses the local adapter treats specially, to simulate faults in development and tests (case-insensitive suffix). */
export const LOCAL_CHAIN_FAULTS = {
  /** Sent, but the answer is lost: `transfer` records the transfer PENDING and rejects with a timeout. */
  timeoutAfterSend: 'dead',
  /** The node is unreachable: `transfer` rejects before sending anything (status NOT_FOUND). */
  unreachable: 'fa11',
} as const;

/**
 * Development and test adapter: records each transfer in the rewards database
 * (`local_chain_transfers`) with a deterministic hash and "sends" nothing, so status by
 * reference is real. A transfer is CONFIRMED at once, except to the fault addresses of
 * LOCAL_CHAIN_FAULTS; a PENDING one is confirmed by the next `statusOf` that sees it (one
 * "block" later). A real ERC-20 adapter replaces it later.
 */
@Injectable()
export class LocalChainAdapter extends ChainAdapter {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async transfer({ withdrawalId, toAddress, amount }: ChainTransfer): Promise<{ txHash: string }> {
    const fault = faultOf(toAddress);
    if (fault === 'unreachable') throw new Error('local chain: node unreachable (simulated)');
    const digest = keccak_256(new TextEncoder().encode(`${withdrawalId}:${toAddress}:${amount}`));
    const txHash = `0x${Buffer.from(digest).toString('hex')}`;
    await this.dataSource.query(
      `INSERT INTO local_chain_transfers (withdrawal_id, to_address, amount, tx_hash, status) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (withdrawal_id) DO NOTHING`,
      [withdrawalId, toAddress, amount, txHash, fault === 'timeoutAfterSend' ? 'PENDING' : 'CONFIRMED'],
    );
    if (fault === 'timeoutAfterSend') throw new Error('local chain: timed out waiting for the node after sending (simulated)');
    const rows: Array<{ tx_hash: string }> = await this.dataSource.query(`SELECT tx_hash FROM local_chain_transfers WHERE withdrawal_id = $1`, [withdrawalId]);
    return { txHash: rows[0].tx_hash };
  }

  async statusOf(withdrawalId: string): Promise<TransferStatus> {
    // Returns the row as it was, and confirms a PENDING one for the next look.
    const rows: Array<{ status: 'PENDING' | 'CONFIRMED' | 'FAILED'; tx_hash: string }> = await this.dataSource.query(
      `WITH before AS (SELECT withdrawal_id, status, tx_hash FROM local_chain_transfers WHERE withdrawal_id = $1 FOR UPDATE),
            confirmed AS (UPDATE local_chain_transfers t SET status = 'CONFIRMED' FROM before b
                           WHERE t.withdrawal_id = b.withdrawal_id AND b.status = 'PENDING')
       SELECT status, tx_hash FROM before`,
      [withdrawalId],
    );
    const row = rows[0];
    if (!row) return { status: 'NOT_FOUND' };
    return row.status === 'CONFIRMED' ? { status: 'CONFIRMED', txHash: row.tx_hash } : { status: row.status };
  }
}

function faultOf(toAddress: string): keyof typeof LOCAL_CHAIN_FAULTS | null {
  const address = toAddress.toLowerCase();
  for (const [fault, suffix] of Object.entries(LOCAL_CHAIN_FAULTS)) {
    if (address.endsWith(suffix)) return fault as keyof typeof LOCAL_CHAIN_FAULTS;
  }
  return null;
}
