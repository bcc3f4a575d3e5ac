// The list of schema migrations, imported statically so nothing is loaded from disk by name at run time.
import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from '../../migrations/0001_initial.js';
import * as m0002 from '../../migrations/0002_kpi_indexes.js';
import * as m0003 from '../../migrations/0003_kpi_speed.js';
import * as m0004 from '../../migrations/0004_drafts.js';

export const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_kpi_indexes': m0002,
  '0003_kpi_speed': m0003,
  '0004_drafts': m0004,
};

export const staticMigrationProvider: MigrationProvider = {
  async getMigrations() {
    return MIGRATIONS;
  },
};

export const LATEST_SCHEMA = Object.keys(MIGRATIONS).sort().at(-1)!;
