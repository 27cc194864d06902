import { Module, type DynamicModule } from '@nestjs/common';
import { governedParameterProviders, PlatformModule, subgraphGraphQLModule } from '@talent/platform';
import { ConvertFees } from './buyback/fee-conversion';
import { FeeConversionProcessor } from './buyback/fee-conversion.processor';
import { FeeConversionsReader } from './buyback/fee-conversions.reader';
import { FIAT_TO_USDC } from './buyback/fx-adapter';
import { LocalFxAdapter } from './buyback/local-fx-adapter';
import { LocalPriceFeed } from './buyback/local-price-feed';
import { BTRST_PRICE_FEED } from './buyback/price-feed';
import type { PaymentsConfig } from './config';
import { ContractRecord } from './contracts/contract.entity';
import { ContractsHandler } from './contracts/contracts.handler';
import { RecordContractCompleted } from './contracts/record-contract-completed';
import { RecordContractStarted } from './contracts/record-contract-started';
import { DisputeEventsHandler } from './disputes/dispute-events.handler';
import { HoldDisputedInvoices } from './disputes/hold-disputed-invoices';
import { SettleDisputedInvoices } from './disputes/settle-disputed-invoices';
import { UsdRates } from './fx/usd-rates';
import { InvoiceRecord, PaymentAttemptRecord } from './invoices/invoice.entity';
import { ApprovalSweep } from './invoices/approval-sweep';
import { ApproveInvoice } from './invoices/approve-invoice';
import { IdempotencyKeys } from './invoices/idempotency-keys';
import { InvoicesReader } from './invoices/invoices.reader';
import { PaymentAttempts } from './invoices/payment-attempts';
import { PaymentOutcomes } from './invoices/payment-outcomes';
import { SubmitInvoice } from './invoices/submit-invoice';
import { paymentsSchemaMigration } from './migrations/1733000000000-payments-schema';
import { UsdRates1735200000000 } from './migrations/1735200000000-usd-rates';
import { ProviderConfirmations1736000000000 } from './migrations/1736000000000-provider-confirmations';
import { CurrencyMinorUnits1736100000000 } from './migrations/1736100000000-currency-minor-units';
import { FeeConversions1736200000000 } from './migrations/1736200000000-fee-conversions';
import { PaymentsDisputes1736500000000 } from './migrations/1736500000000-disputes';
import { GovernedParameters1737100000000 } from './migrations/1737100000000-governed-parameters';
import { NetworkStatsService } from './network-stats/network-stats.service';
import { feeRateParameter, ParametersService } from './parameters/parameters.service';
import { LocalPaymentProvider } from './provider/local-payment-provider';
import { ApplyProviderWebhook } from './provider/apply-provider-webhook';
import { PAYMENT_PROVIDER } from './provider/payment-provider';
import { ProviderWebhooksController } from './provider/provider-webhooks.controller';
import { PAYMENTS_JOBS } from './jobs';
import { PAYMENTS_RESOLVERS } from './resolvers';

export const PAYMENTS_ENTITIES = [ContractRecord, InvoiceRecord, PaymentAttemptRecord];

/** Migrations; the first run seeds `platform.feeRate` from PLATFORM_FEE_RATE. */
export const paymentsMigrations = (config: PaymentsConfig) => [
  paymentsSchemaMigration(config.PLATFORM_FEE_RATE),
  UsdRates1735200000000,
  ProviderConfirmations1736000000000,
  CurrencyMinorUnits1736100000000,
  FeeConversions1736200000000,
  PaymentsDisputes1736500000000,
  GovernedParameters1737100000000,
];

@Module({})
export class PaymentsModule {
  static register(config: PaymentsConfig): DynamicModule {
    return {
      module: PaymentsModule,
      imports: [
        // Tokens are verified with identity's JWKS (JWKS_URL).
        PlatformModule.forService({
          config,
          entities: PAYMENTS_ENTITIES,
          migrations: paymentsMigrations(config),
          jobs: PAYMENTS_JOBS,
        }),
        subgraphGraphQLModule(),
      ],
      controllers: [ProviderWebhooksController],
      providers: [
        ContractsHandler,
        RecordContractStarted,
        RecordContractCompleted,
        DisputeEventsHandler,
        HoldDisputedInvoices,
        SettleDisputedInvoices,
        ParametersService,
        ...governedParameterProviders(feeRateParameter),
        UsdRates,
        IdempotencyKeys,
        PaymentOutcomes,
        PaymentAttempts,
        InvoicesReader,
        SubmitInvoice,
        ApproveInvoice,
        ApprovalSweep,
        ApplyProviderWebhook,
        // The local stand-in; a real provider adapter implements the same PaymentProvider interface.
        { provide: PAYMENT_PROVIDER, useClass: LocalPaymentProvider },
        // The buyback; real FX and price-feed adapters implement the same interfaces.
        { provide: FIAT_TO_USDC, useClass: LocalFxAdapter },
        { provide: BTRST_PRICE_FEED, useClass: LocalPriceFeed },
        ConvertFees,
        FeeConversionProcessor,
        FeeConversionsReader,
        NetworkStatsService,
        ...PAYMENTS_RESOLVERS,
      ],
    };
  }
}
