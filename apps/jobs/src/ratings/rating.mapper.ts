import type { RatingRecord } from './rating.entity';
import { RatingModel } from './rating.model';

export const toRatingModel = (r: RatingRecord): RatingModel =>
  Object.assign(new RatingModel(), {
    id: r.id,
    contractId: r.contractId,
    raterId: r.raterId,
    rateeId: r.rateeId,
    stars: r.stars,
    comment: r.comment,
    createdAt: r.createdAt,
  });
