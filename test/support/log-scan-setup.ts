/**
 * Jest globalSetup: start the suite with an empty log folder (see log-capture.ts), and a PostgreSQL
 * container for the store tests when Docker can provide one (see postgres-container.ts).
 */
import { resetLogDir } from './log-capture';
import { setupPostgresContainer } from './postgres-container';

export default async function globalSetup(): Promise<void> {
  resetLogDir();
  await setupPostgresContainer();
}
