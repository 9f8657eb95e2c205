import { postgresDatabase, pgliteOverWire } from '../../helpers/databases.ts';
import { storeSuite, vectorSuite } from './store-suite.ts';

// Debian 12's PostgreSQL 15 has no pgvector: the store suite runs there (vector migrations are skipped),
// and the vector parts run against PGlite served over the wire, through the same `pg` code path.
// (PGlite over the wire is one session multiplexed, so it cannot stand in for cross-session locks.)
storeSuite('PostgreSQL 15 server', postgresDatabase);
vectorSuite('PGlite over the wire (pglite-socket)', pgliteOverWire);
