// Types for pg-cluster.mjs (plain JS so scripts and CI run it without a build).
export function findPgBin(env?: NodeJS.ProcessEnv): string | null;
export class PgCluster {
  readonly bin: string;
  readonly dir: string;
  readonly data: string;
  readonly socketDir: string;
  readonly log: string;
  running: boolean;
  url(database?: string): string;
  start(): void;
  stop(mode?: 'smart' | 'fast' | 'immediate'): void;
  restart(): void;
  destroy(): void;
}
export function startCluster(bin?: string | null): PgCluster;
export function psql(cluster: PgCluster, database: string, command: string): string;
