import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partner nodes and the webhooks delivered to them (issue 12).
 * - `partner_nodes`: a node's endpoint and the public event types it chose. The signing secret is
 *   encrypted (it must be readable to sign), bound to its row; after a rotation the previous
 *   secret also signs until `previous_secret_expires_at`.
 * - `public_events`: every public event received (the PII-free projections of public.* topics),
 *   kept `PARTNER_EVENT_RETENTION_DAYS` for replays. The inbox already deduplicates by event id.
 * - `partner_deliveries`: one row per event per node (fan-out), plus one per event per replay.
 *   PENDING until the node answers 2xx (DELIVERED) or every attempt failed (DEAD, with the last
 *   error). A node gets each event once from the fan-out (the partial unique index).
 */
export class PartnersSchema1737000000000 implements MigrationInterface {
  name = 'PartnersSchema1737000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE partner_nodes (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        webhook_url text NOT NULL,
        event_types text[] NOT NULL CHECK (cardinality(event_types) > 0),
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'DISABLED')),
        signing_secret text NOT NULL,
        previous_signing_secret text,
        previous_secret_expires_at timestamptz,
        secret_rotated_at timestamptz,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        disabled_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX partner_nodes_name_key ON partner_nodes (lower(name))`);

    await q.query(`
      CREATE TABLE public_events (
        id uuid PRIMARY KEY,
        type text NOT NULL,
        version int NOT NULL,
        source text NOT NULL,
        aggregate_id text NOT NULL,
        occurred_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        payload jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX public_events_replay_idx ON public_events (occurred_at, id)`);

    await q.query(`
      CREATE TABLE partner_deliveries (
        id uuid PRIMARY KEY,
        node_id uuid NOT NULL REFERENCES partner_nodes (id),
        event_id uuid NOT NULL REFERENCES public_events (id) ON DELETE CASCADE,
        replay_id uuid,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD')),
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        last_status_code int,
        last_attempt_at timestamptz,
        delivered_at timestamptz,
        dead_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX partner_deliveries_fanout_key ON partner_deliveries (node_id, event_id) WHERE replay_id IS NULL`);
    await q.query(`CREATE INDEX partner_deliveries_node_idx ON partner_deliveries (node_id, created_at DESC)`);
    await q.query(`CREATE INDEX partner_deliveries_pending_idx ON partner_deliveries (created_at) WHERE status = 'PENDING'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE partner_deliveries`);
    await q.query(`DROP TABLE public_events`);
    await q.query(`DROP TABLE partner_nodes`);
  }
}
