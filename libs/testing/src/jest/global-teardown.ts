export default async function globalTeardown(): Promise<void> {
  const broker = globalThis.__talentKafkaBroker;
  globalThis.__talentKafkaBroker = undefined;
  await broker?.stop();
}
