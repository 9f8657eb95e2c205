import { pgliteDatabase } from '../../helpers/databases.ts';
import { storeSuite, vectorSuite } from './store-suite.ts';

storeSuite('PGlite (in-process)', pgliteDatabase);
vectorSuite('PGlite (in-process)', pgliteDatabase);
