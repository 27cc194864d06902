/** Injection token of the service's root pino logger, for code outside a request. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');
