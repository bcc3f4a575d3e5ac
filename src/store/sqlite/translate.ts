// better-sqlite3 behind Kysely, with its errors translated at the one place every statement passes.
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { translateSqliteError } from '../engine-errors.js';

export function translatingDatabase(raw: BetterSqlite3.Database): SqliteDatabase {
  return {
    close: () => raw.close(),
    prepare(sqlText: string): SqliteStatement {
      let stmt: BetterSqlite3.Statement;
      try {
        stmt = raw.prepare(sqlText);
      } catch (e) {
        throw translateSqliteError(e);
      }
      return {
        reader: stmt.reader,
        all(params) {
          try {
            return stmt.all(...params);
          } catch (e) {
            throw translateSqliteError(e);
          }
        },
        run(params) {
          try {
            return stmt.run(...params);
          } catch (e) {
            throw translateSqliteError(e);
          }
        },
        iterate(params) {
          try {
            return stmt.iterate(...params);
          } catch (e) {
            throw translateSqliteError(e);
          }
        },
      };
    },
  };
}
