// Column shapes that the two engines spell differently, for the migrations. Changing one of these
// changes every migration that used it: add a new helper instead.
import type { ColumnDefinitionBuilder } from 'kysely';

export type Engine = 'sqlite' | 'postgres';

/** An integer id the database assigns, that explicit ids (imports) may also fill. */
export function idColumn(engine: Engine) {
  return (c: ColumnDefinitionBuilder) =>
    engine === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
}
