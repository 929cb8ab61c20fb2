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
  md5: string;
}

export async function tableChecksums(
  databaseUrl: string,
  tables: readonly string[] = CHECKSUM_TABLES,
): Promise<Record<string, TableChecksum>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const out: Record<string, TableChecksum> = {};
    for (const table of tables) {
      const row = `(to_jsonb(t) ${VOLATILE_COLUMNS.map((c) => `- '${c}'`).join(' ')})::text`;
      const { rows } = await client.query<{ rows: string; md5: string }>(
        `SELECT count(*)::text AS rows, md5(coalesce(string_agg(${row}, E'\\n' ORDER BY ${row}), '')) AS md5
         FROM ${table} t`,
      );
      out[table] = { rows: Number(rows[0]!.rows), md5: rows[0]!.md5 };
    }
    return out;
  } finally {
    await client.end();
  }
}
