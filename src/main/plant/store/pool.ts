import pg from 'pg'
import { plantMigrations } from './migrations'

export type Pool = pg.Pool
export type Client = pg.PoolClient
/** Anything that runs a query: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'>

/** Advisory lock namespaces (the first key of pg_advisory_lock(int, int)). */
export const LOCKS = { migrations: 7301, outboxOwner: 7302, changeFeed: 7303, audit: 7304 } as const

const INT8 = 20
const NUMERIC = 1700

/** bigint and count(*) as JS numbers: ids and epoch milliseconds stay far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8 || oid === NUMERIC ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser
}

export interface PoolOptions {
  /** postgresql://user@host:port/database (the password, if any, comes from PGPASSWORD or the sealed secrets). */
  connectionString: string
  password?: string | undefined
  max?: number | undefined
}

export function openPool(options: PoolOptions): Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    ...(options.password === undefined ? {} : { password: options.password }),
    max: options.max ?? 10,
    types,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000
  })
  // An idle client whose server went away: the pool drops it; the next query reconnects or fails to its caller.
  pool.on('error', () => undefined)
  return pool
}

/** A separate connection that lives as long as the process's claim on it (the outbox owner's advisory lock). */
export function openClient(options: PoolOptions): pg.Client {
  return new pg.Client({
    connectionString: options.connectionString,
    ...(options.password === undefined ? {} : { password: options.password }),
    types,
    connectionTimeoutMillis: 10_000
  })
}

/** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: Client) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const result = await work(client)
    await client.query('COMMIT')
    return result
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  } finally {
    client.release()
  }
}

/**
 * Applies every migration not yet in schema_migrations, all in one transaction (DDL is transactional here: a failed
 * upgrade leaves the schema as it was); refuses a newer schema.
 */
export async function migrate(pool: Pool, migrations: readonly string[] = plantMigrations): Promise<number> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCKS.migrations])
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())')
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations')
    const current = rows[0]?.version ?? 0
    if (current > migrations.length) {
      throw new Error(`plant database schema version ${current} is newer than this program (${migrations.length}); upgrade the program`)
    }
    for (let version = current; version < migrations.length; version++) {
      await client.query(migrations[version]!)
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version + 1])
    }
    return migrations.length
  })
}
