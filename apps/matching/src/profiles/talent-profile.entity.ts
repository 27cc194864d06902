import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A talent's profile (the "bid"). `rate_f` (a generated column) is left out: only ranking SQL reads it. */
@Entity({ name: 'talent_profiles' })
export class TalentProfileRecord {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** Member AND screened APPROVED AND open to work. */
  @Column('boolean')
  eligible: boolean;

  @Column('text')
  headline: string;

  /** Normalised: trimmed, lower-case, unique. */
  @Column({ type: 'text', array: true })
  skills: string[];

  @Column({ name: 'years_experience', type: 'integer' })
  yearsExperience: number;

  /** NUMERIC(12,2) as a string, e.g. "85.00". */
  @Column({ name: 'hourly_rate', type: 'numeric' })
  hourlyRate: string;

  @Column('text')
  currency: string;

  @Column('text')
  country: string;

  @Column({ name: 'hours_per_week', type: 'integer' })
  hoursPerWeek: number;

  @Column({ name: 'open_to_work', type: 'boolean' })
  openToWork: boolean;

  @Column({ name: 'average_rating', type: 'float8', nullable: true })
  averageRating: number | null;

  @Column({ name: 'ratings_count', type: 'integer' })
  ratingsCount: number;

  /** reputationScore(averageRating, ratingsCount), kept with them for ranking. */
  @Column({ name: 'rep_score', type: 'float8' })
  repScore: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
