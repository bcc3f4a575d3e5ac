// The one numbered list of schema migrations, applied on both engines. Each migration's `up` receives
// the engine, and says explicitly where the dialects differ. Imported statically: nothing is loaded
// from disk by name at run time.
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import * as m0001 from '../../migrations/0001_initial.js';
import * as m0002 from '../../migrations/0002_kpi_indexes.js';
import * as m0003 from '../../migrations/0003_kpi_speed.js';
import * as m0004 from '../../migrations/0004_drafts.js';
import * as m0005 from '../../migrations/0005_mail.js';
import * as m0006 from '../../migrations/0006_business_hours.js';
import * as m0007 from '../../migrations/0007_macros_views.js';
import * as m0008 from '../../migrations/0008_rules.js';
import * as m0009 from '../../migrations/0009_imports.js';
import * as m0010 from '../../migrations/0010_kpi_days.js';
import type { Engine } from './store.js';

export interface EngineMigration {
  up(db: Kysely<any>, engine: Engine): Promise<void>;
}

export const MIGRATIONS: Record<string, EngineMigration> = {
  '0001_initial': m0001,
  '0002_kpi_indexes': m0002,
  '0003_kpi_speed': m0003,
  '0004_drafts': m0004,
  '0005_mail': m0005,
  '0006_business_hours': m0006,
  '0007_macros_views': m0007,
  '0008_rules': m0008,
  '0009_imports': m0009,
  '0010_kpi_days': m0010,
};

export function migrationProviderFor(engine: Engine): MigrationProvider {
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, m] of Object.entries(MIGRATIONS)) out[name] = { up: (db) => m.up(db, engine) };
      return out;
    },
  };
}

export const LATEST_SCHEMA = Object.keys(MIGRATIONS).sort().at(-1)!;
