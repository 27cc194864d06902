import { Catch } from '@nestjs/common';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import { DomainError } from './domain-errors';

/**
 * Domain errors are expected outcomes (bad input, refused access), not failures: hand
 * them straight to the GraphQL error formatter instead of Nest's handler, which would
 * log each one as an ERROR with its stack.
 */
@Catch(DomainError)
export class DomainErrorFilter implements GqlExceptionFilter {
  catch(error: DomainError): DomainError {
    return error;
  }
}
