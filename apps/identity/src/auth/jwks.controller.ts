import { Controller, Get, Header } from '@nestjs/common';
import { SigningKeys } from './signing-keys';

/** Public keys that verify access tokens; fetched and cached by the gateway and every subgraph. */
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: SigningKeys) {}

  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=300')
  jwks() {
    return this.keys.jwks;
  }
}
