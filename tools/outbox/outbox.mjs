// `npm run outbox -- list|retry|discard [--event ID] [--json]`: a service's parked outbox events
// (refused by the broker for good; see README "Parked outbox events").
//
// list: what is parked, with the reason. retry: un-park (one event, or all with --all) so the
// relay publishes it again, before the later events of its key that wait behind it; do it after
// fixing the cause (topic created, broker limit raised). discard --event ID: give one up for good
// (marked published with "(discarded)" in its reason; its key goes on).
//
// Env: DATABASE_URL, the service's own database (required).
import { parseArgs } from 'node:util';
import pg from 'pg';

const USAGE = 'usage: DATABASE_URL=... npm run outbox -- list [--json] | retry (--event <id> | --all) | discard --event <id>';

function fail(message) {
  console.error(message);
  process.exit(2);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { event: { type: 'string' }, all: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
});
const [command] = positionals;
if (!['list', 'retry', 'discard'].includes(command)) fail(USAGE);
if (command === 'retry' && !values.event && !values.all) fail(USAGE);
if (command === 'discard' && !values.event) fail(USAGE);
if (!process.env.DATABASE_URL) fail(`DATABASE_URL is not set\n${USAGE}`);

const client = new pg.Client({ connectionString: process.env.DATABASE_URL, application_name: 'outbox-tool' });
await client.connect();
try {
  const parked = 'parked_at IS NOT NULL AND published_at IS NULL';
  if (command === 'list') {
    const { rows } = await client.query(
      `SELECT id, type, topic, message_key, park_reason, parked_at, attempts,
              (SELECT count(*)::int FROM outbox h WHERE h.published_at IS NULL AND h.parked_at IS NULL
                 AND h.topic = o.topic AND h.message_key = o.message_key AND h.seq > o.seq) AS held_behind
         FROM outbox o WHERE ${parked} ORDER BY seq`,
    );
    if (values.json) console.log(JSON.stringify(rows, null, 2));
    else if (rows.length === 0) console.log('no parked events');
    else
      for (const r of rows)
        console.log(
          `${r.id}  ${r.type}  ${r.topic}  key=${r.message_key}  parked ${r.parked_at.toISOString()}  attempts=${r.attempts}  held behind it: ${r.held_behind}\n  ${r.park_reason}`,
        );
  } else if (command === 'retry') {
    const { rowCount } = values.all
      ? await client.query(`UPDATE outbox SET parked_at = NULL, park_reason = NULL WHERE ${parked}`)
      : await client.query(`UPDATE outbox SET parked_at = NULL, park_reason = NULL WHERE ${parked} AND id = $1`, [values.event]);
    console.log(`${rowCount} event(s) un-parked; the relay publishes them on its next batch`);
  } else {
    const { rowCount } = await client.query(`UPDATE outbox SET published_at = now(), park_reason = park_reason || ' (discarded)' WHERE ${parked} AND id = $1`, [
      values.event,
    ]);
    console.log(`${rowCount} event(s) discarded`);
  }
} finally {
  await client.end();
}
