/**
 * The real PostgreSQL server the store suite runs against. `.ci/run` starts Debian's PostgreSQL 15 and sets
 * KEFU_TEST_PG_URL; locally, set it yourself (README "Testing"). In CI a missing server is a failure, not a skip.
 */
export const PG_URL = process.env.KEFU_TEST_PG_URL;

export function requirePostgres(): string | undefined {
  if (!PG_URL && process.env.CI) throw new Error('KEFU_TEST_PG_URL is not set: .ci/run must start PostgreSQL for the store suite');
  return PG_URL;
}
