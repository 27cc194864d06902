import { Injectable } from '@nestjs/common';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { DataSource } from 'typeorm';

export interface ChainTransfer {
  /** Idempotency key: the same withdrawal is never sent twice. */
  withdrawalId: string;
  toAddress: string;
  /** BTRST, decimal string. */
  amount: string;
}

/** Moves BTRST on chain. Implementations must be idempotent on `withdrawalId`. */
export abstract class ChainAdapter {
  /** Resolves with the transaction hash once the transfer is submitted; rejects on failure (the job retries). */
  abstract transfer(transfer: ChainTransfer): Promise<{ txHash: string }>;
}

/**
 * Development and test adapter: records the transfer in the rewards database with a
 * deterministic hash and "sends" nothing. A real ERC-20 adapter replaces it later.
 */
@Injectable()
export class LocalChainAdapter extends ChainAdapter {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async transfer({ withdrawalId, toAddress, amount }: ChainTransfer): Promise<{ txHash: string }> {
    const digest = keccak_256(new TextEncoder().encode(`${withdrawalId}:${toAddress}:${amount}`));
    const txHash = `0x${Buffer.from(digest).toString('hex')}`;
    await this.dataSource.query(
      `INSERT INTO local_chain_transfers (withdrawal_id, to_address, amount, tx_hash) VALUES ($1, $2, $3, $4) ON CONFLICT (withdrawal_id) DO NOTHING`,
      [withdrawalId, toAddress, amount, txHash],
    );
    const rows: Array<{ tx_hash: string }> = await this.dataSource.query(`SELECT tx_hash FROM local_chain_transfers WHERE withdrawal_id = $1`, [withdrawalId]);
    return { txHash: rows[0].tx_hash };
  }
}
