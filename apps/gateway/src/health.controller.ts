import { Controller, Get, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { GATEWAY_STATE, type GatewayState } from './gateway-state';

/** `/health`: the process answers. `/ready`: the supergraph is loaded and every subgraph answers its /health. */
@Controller()
export class HealthController {
  constructor(@Inject(GATEWAY_STATE) private readonly state: GatewayState) {}

  @Get('health')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready() {
    const subgraphs = await Promise.all(
      Object.entries(this.state.subgraphUrls).map(async ([name, url]) => {
        try {
          const res = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(2000) });
          return [name, res.ok ? 'up' : 'down'] as const;
        } catch {
          return [name, 'down'] as const;
        }
      }),
    );
    const details = { supergraph: this.state.schemaLoaded ? 'up' : 'down', ...Object.fromEntries(subgraphs) };
    const ok = Object.values(details).every((s) => s === 'up');
    if (!ok) throw new HttpException({ status: 'error', details }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'ok', details };
  }
}
