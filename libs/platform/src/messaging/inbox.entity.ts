import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Ids of events this service has applied; recorded in the same transaction as their effect. */
@Entity({ name: 'inbox' })
export class InboxRecord {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column('text')
  type: string;

  @Column('text')
  topic: string;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;
}
