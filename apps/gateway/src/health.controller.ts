import { Controller, Get, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { GATEWAY_STATE, type GatewayState } from './gateway-state';

/**
 * `/health` (liveness): the process answers; the last known state of each subgraph as details.
 * `/ready` (readiness): the supergraph is loaded. A subgraph that is down does not make the
 * gateway unready: its fields answer with errors, and the rest of the API works.
 */
@Controller()
export class HealthController {
  constructor(@Inject(GATEWAY_STATE) private readonly state: GatewayState) {}

  @Get('health')
  live() {
    return { status: 'ok', details: { subgraphs: this.state.subgraphs.snapshot() } };
  }

  @Get('ready')
  ready() {
    const details = { supergraph: this.state.schemaLoaded ? 'up' : 'down' };
    if (!this.state.schemaLoaded) throw new HttpException({ status: 'error', details }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'ok', details };
  }
}
