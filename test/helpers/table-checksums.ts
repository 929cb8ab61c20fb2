import pg from 'pg';

/**
 * Row counts and an md5 of every row of the tables a batch writes, in a stable order and without
 * the columns that differ between two runs of the same work (surrogate ids, timestamps, the run
 * that wrote a row). Two databases that computed the same thing have the same checksums.
 */
export const CHECKSUM_TABLES = [
  'market_data_cache',
  'company_profiles',
  'symbol_factor_exposures',
  'portfolio_snapshots',
  'factor_exposures',
  'position_factor_exposures',
  'stress_test_results',
] as const;

const VOLATILE_COLUMNS = [
  'id',
  'created_at',
  'updated_at',
  'calculated_at',
  'fetched_at',
  'batch_run_id',
];

export interface TableChecksum {
  rows: number;
  /**
   * The sum of every row's hash (the first 60 bits of the md5 of its JSON text): independent of
   * row order, so no table is sorted or concatenated — the largest have millions of rows.
   */
  hash: string;
}

export async function tableChecksums(
  databaseUrl: string,
  tables: readonly string[] = CHECKSUM_TABLES,
): Promise<Record<string, TableChecksum>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const out: Record<string, TableChecksum> = {};
    const row = `(to_jsonb(t) ${VOLATILE_COLUMNS.map((c) => `- '${c}'`).join(' ')})::text`;
    for (const table of tables) {
      const { rows } = await client.query<{ rows: string; hash: string | null }>(
        `SELECT count(*)::text AS rows,
                sum(('x' || substr(md5(${row}), 1, 15))::bit(60)::bigint::numeric)::text AS hash
         FROM ${table} t`,
      );
      out[table] = { rows: Number(rows[0]!.rows), hash: rows[0]!.hash ?? '0' };
    }
    return out;
  } finally {
    await client.end();
  }
}
