import type { Provider } from '@nestjs/common';
import { GovernedParameters, PARAMETER_OWNER, ParameterChangedHandler, type ParameterOwner } from './governed-parameters';

export * from './governed-parameters';
export * from './governed-parameters-table';

/** The projection and its ParameterChanged handler, for the providers of a service that owns parameters. */
export function governedParameterProviders(owner: ParameterOwner): Provider[] {
  return [{ provide: PARAMETER_OWNER, useValue: owner }, GovernedParameters, ParameterChangedHandler];
}
