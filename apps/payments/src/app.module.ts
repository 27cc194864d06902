import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, subgraphGraphQLModule } from '@talent/platform';
import type { PaymentsConfig } from './config';
import { ContractRecord } from './contracts/contract.entity';
import { ContractsHandler } from './contracts/contracts.handler';
import { UsdRates } from './fx/usd-rates';
import { InvoiceRecord, PaymentAttemptRecord } from './invoices/invoice.entity';
import { InvoicesService } from './invoices/invoices.service';
import { paymentsSchemaMigration } from './migrations/1733000000000-payments-schema';
import { UsdRates1735200000000 } from './migrations/1735200000000-usd-rates';
import { ParametersService } from './parameters/parameters.service';
import { LocalPaymentProvider } from './provider/local-payment-provider';
import { PAYMENT_PROVIDER } from './provider/payment-provider';
import { PAYMENTS_RESOLVERS } from './resolvers';

export const PAYMENTS_ENTITIES = [ContractRecord, InvoiceRecord, PaymentAttemptRecord];

/** Migrations; the first run seeds `platform.feeRate` from PLATFORM_FEE_RATE. */
export const paymentsMigrations = (config: PaymentsConfig) => [paymentsSchemaMigration(config.PLATFORM_FEE_RATE), UsdRates1735200000000];

@Module({})
export class PaymentsModule {
  static register(config: PaymentsConfig): DynamicModule {
    return {
      module: PaymentsModule,
      imports: [
        // Tokens are verified with identity's JWKS (JWKS_URL).
        PlatformModule.forService({ config, entities: PAYMENTS_ENTITIES, migrations: paymentsMigrations(config) }),
        subgraphGraphQLModule(),
      ],
      providers: [
        ContractsHandler,
        ParametersService,
        UsdRates,
        InvoicesService,
        // The local stand-in; a real provider adapter implements the same PaymentProvider interface.
        { provide: PAYMENT_PROVIDER, useClass: LocalPaymentProvider },
        ...PAYMENTS_RESOLVERS,
      ],
    };
  }
}
