/**
 * Managing a book after onboarding (API.md: positions): add lots, append a CSV, correct a lot,
 * sell all or part of one, remove one entered in error. Every change is checked by the CSV's own
 * rules (SPEC §2), written with its audit entry and the restated days in one transaction, and
 * then asks for the one calculation that rewrites those days (`recalculation.ts`).
 */
import {
  parsePositionsCsv,
  type CsvError,
  type ParsePositionsCsvResult,
} from '../../domain/csv/parse-positions-csv.ts';
import { hundredYearsBefore } from '../../domain/csv/parse-positions-csv.ts';
import {
  COLUMN_HEADER,
  POSITION_CSV_COLUMNS,
  type ParsedPosition,
  type RowValues,
} from '../../domain/csv/position-csv-schema.ts';
import { checkNotes, LOT_FIELDS, validateLots } from '../../domain/csv/validate-lots.ts';
import { positionTypeOf, validatePositionRow } from '../../domain/csv/validate-position-row.ts';
import type { Db } from '../../db/database.ts';
import { PortfolioActivityRepository } from '../../db/repositories/portfolio-activity-repository.ts';
import type { PortfolioRow } from '../../db/repositories/portfolio-repository.ts';
import {
  PositionRepository,
  type NewLot,
  type PositionRow,
} from '../../db/repositories/position-repository.ts';
import type { ValidatedLot } from '../../domain/csv/validate-lots.ts';
import { ok, refused, type Outcome } from '../portfolios/problem.ts';
import { lotBody, lotSnapshot, type LotBody } from './lot-body.ts';
import { markRestated, trimHistoryStart } from './recalculation.ts';

export interface Actor {
  userId: string;
}

export interface LotChange {
  positions: LotBody[];
  /** Restated days, for the calculation request that follows the transaction. */
  restated: { from: string | null; days: number };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function newLotOf(p: ValidatedLot | ParsePositionsCsvResult['positions'][number]): NewLot {
  return {
    symbol: p.symbol,
    positionType: p.positionType,
    quantity: p.quantityText,
    entryPrice: p.entryPriceText,
    entryDate: p.entryDate,
    exitDate: p.exitDate,
    exitPrice: p.exitPriceText,
    investmentClass: p.investmentClass,
    investmentSubtype: p.investmentSubtype,
    underlyingSymbol: p.underlyingSymbol,
    strikePrice: p.strikePriceText,
    expirationDate: p.expirationDate,
    optionType: p.optionType,
    notes: 'notes' in p ? p.notes : null,
  };
}

function invalidLots(errors: CsvError[], what: string) {
  const first = errors[0]!;
  const where = first.row === null ? '' : `${what} ${first.row}: `;
  return refused<never>({
    status: 400,
    code: 'ERR_LOTS_INVALID',
    message:
      `${plural(errors.length, 'problem')} found, so nothing was saved; fix them all and send ` +
      `again. First: ${where}${first.message}`,
    details: { errors, total_errors: errors.length },
  });
}

/** Inserts lots with their audit entries and marks the days they restate (one transaction). */
async function insertLots(
  db: Db,
  actor: Actor,
  portfolio: PortfolioRow,
  lots: NewLot[],
  action: 'position.added' | 'position.imported',
): Promise<LotChange> {
  return db.transaction(async (tx) => {
    const rows = await new PositionRepository(tx).insertLots(portfolio.id, lots);
    await new PortfolioActivityRepository(tx).record(
      rows.map((r) => ({
        portfolioId: portfolio.id,
        userId: actor.userId,
        action,
        entity: 'position' as const,
        entityId: r.id,
        before: null,
        after: lotSnapshot(r),
      })),
    );
    const earliest = rows.reduce((d, r) => (r.entryDate < d ? r.entryDate : d), rows[0]!.entryDate);
    const restated = await markRestated(tx, portfolio, earliest);
    return { positions: rows.map(lotBody), restated };
  });
}

/** POST /portfolios/{id}/positions: lots as JSON, all or none. */
export async function addLots(
  db: Db,
  input: { actor: Actor; portfolio: PortfolioRow; lots: Record<string, unknown>[]; today: string },
): Promise<Outcome<LotChange>> {
  const heldKeys = await new PositionRepository(db).liveKeys(input.portfolio.id);
  const checked = validateLots(input.lots, { today: input.today, heldKeys });
  if (checked.errors.length > 0) return invalidLots(checked.errors, 'lot');
  return ok(
    await insertLots(
      db,
      input.actor,
      input.portfolio,
      checked.lots.map(newLotOf),
      'position.added',
    ),
  );
}

/** The CSV's problems plus its rows that repeat a lot already held [ERR_POS_023]. */
function withHeldDuplicates(
  parsed: ParsePositionsCsvResult,
  heldKeys: ReadonlySet<string>,
): ParsePositionsCsvResult {
  const errors = [...parsed.errors];
  const positions = [];
  for (const p of parsed.positions) {
    if (heldKeys.has(`${p.symbol}|${p.entryDate}`)) {
      errors.push({
        row: p.line,
        symbol: p.symbol,
        field: COLUMN_HEADER.symbol,
        code: 'ERR_POS_023',
        message:
          `The portfolio already holds ${p.symbol} with Entry Date ${p.entryDate}; correct that ` +
          'lot instead, or use another date',
      });
    } else {
      positions.push(p);
    }
  }
  return {
    positions,
    errors,
    totalErrors: parsed.totalErrors + (errors.length - parsed.errors.length),
  };
}

/**
 * POST /portfolios/{id}/positions/import: a CSV's lots appended, by create-portfolio's rules
 * and the lots already held. A dry run reports what would be imported and writes nothing.
 */
export async function importLots(
  db: Db,
  input: {
    actor: Actor;
    portfolio: PortfolioRow;
    file: { name: string; size: number; bytes: Uint8Array };
    today: string;
    dryRun: boolean;
  },
): Promise<Outcome<{ parsed: ParsePositionsCsvResult; change: LotChange | null }>> {
  const heldKeys = await new PositionRepository(db).liveKeys(input.portfolio.id);
  const parsed = withHeldDuplicates(
    parsePositionsCsv({
      bytes: input.file.bytes,
      fileName: input.file.name,
      byteLength: input.file.size,
      today: input.today,
    }),
    heldKeys,
  );
  if (input.dryRun) return ok({ parsed, change: null });
  if (parsed.totalErrors > 0) {
    const first = parsed.errors[0]!;
    const where = first.row === null ? '' : `line ${first.row}: `;
    return refused({
      status: 400,
      code: 'ERR_PORT_008',
      message:
        `The CSV has ${plural(parsed.totalErrors, 'problem')}, so nothing was imported; fix them ` +
        `all and upload again. First: ${where}${first.message}`,
      details: { errors: parsed.errors, total_errors: parsed.totalErrors },
    });
  }
  const change = await insertLots(
    db,
    input.actor,
    input.portfolio,
    parsed.positions.map(newLotOf),
    'position.imported',
  );
  return ok({ parsed, change });
}

/** A lot as the CSV row that would have created it, for checking a correction by its rules. */
function rowValuesOf(p: PositionRow): RowValues {
  const cell = (v: string | number | null) => (v === null ? '' : String(v));
  return {
    symbol: p.symbol,
    quantity: cell(p.quantity),
    entryPrice: cell(p.entryPrice),
    entryDate: p.entryDate,
    investmentClass: p.investmentClass,
    investmentSubtype: cell(p.investmentSubtype),
    underlyingSymbol: cell(p.underlyingSymbol),
    strikePrice: cell(p.strikePrice),
    expirationDate: cell(p.expirationDate),
    optionType: cell(p.optionType),
    exitDate: cell(p.exitDate),
    exitPrice: cell(p.exitPrice),
  };
}

const FIELD_OF_HEADER = new Map(
  POSITION_CSV_COLUMNS.map((c) => [COLUMN_HEADER[c.key], LOT_FIELDS[c.key]]),
);

/** The row rules over the edited lot; errors name JSON fields and no row. */
function checkEditedLot(values: RowValues, today: string) {
  const row = validatePositionRow(values, {
    line: 0,
    today,
    oldestEntryDate: hundredYearsBefore(today),
  });
  const errors = row.errors.map((e) => ({
    ...e,
    row: null,
    field: e.field === null ? null : (FIELD_OF_HEADER.get(e.field) ?? e.field),
  }));
  return { row, errors };
}

function invalidEdit(errors: CsvError[]) {
  return refused<never>({
    status: 422,
    code: 'ERR_VALIDATION',
    message: `Invalid request body: ${errors[0]!.field ?? '(body)'}: ${errors[0]!.message}`,
    details: {
      issues: errors.map((e) => ({ field: e.field ?? '(body)', message: e.message, code: e.code })),
    },
  });
}

const audit = (
  tx: Db,
  actor: Actor,
  p: PositionRow,
  action: string,
  before: unknown,
  after: unknown,
) =>
  new PortfolioActivityRepository(tx).record([
    {
      portfolioId: p.portfolioId,
      userId: actor.userId,
      action,
      entity: 'position',
      entityId: p.id,
      before,
      after,
    },
  ]);

/** PUT /positions/{id}: quantity, entry price, entry date, notes; nothing else is editable. */
export async function updateLot(
  db: Db,
  input: {
    actor: Actor;
    portfolio: PortfolioRow;
    position: PositionRow;
    patch: {
      quantity?: number | string;
      entry_price?: number | string;
      entry_date?: string;
      notes?: unknown;
    };
    today: string;
  },
): Promise<Outcome<LotChange>> {
  const { position: p, patch } = input;
  const values = rowValuesOf(p);
  if (patch.quantity !== undefined) values.quantity = String(patch.quantity).trim();
  if (patch.entry_price !== undefined) values.entryPrice = String(patch.entry_price).trim();
  if (patch.entry_date !== undefined) values.entryDate = patch.entry_date.trim();
  const { row, errors } = checkEditedLot(values, input.today);
  const notes = patch.notes === undefined ? undefined : checkNotes(patch.notes);
  if (notes && 'error' in notes) {
    errors.push({
      row: null,
      symbol: p.symbol,
      field: 'notes',
      code: 'ERR_POS_026',
      message: notes.error,
    });
  }
  // Another open lot on the same symbol and date would break "one open lot per (symbol, entry
  // date)"; the sold parts of a split share their origin's date and do not count.
  if (row.key && errors.length === 0 && p.exitDate === null) {
    const taken = await new PositionRepository(db).openLotExists(
      p.portfolioId,
      row.key.symbol,
      row.key.entryDate,
      p.id,
    );
    if (taken) {
      errors.push({
        row: null,
        symbol: p.symbol,
        field: 'entry_date',
        code: 'ERR_POS_023',
        message: `The portfolio already holds another open ${p.symbol} lot entered ${row.key.entryDate}`,
      });
    }
  }
  if (errors.length > 0 || row.position === null) return invalidEdit(errors);
  const parsed = row.position;
  const change = await db.transaction(async (tx) => {
    const repo = new PositionRepository(tx);
    const updated = await repo.update(p.id, {
      quantity: parsed.quantityText,
      positionType: positionTypeOf(parsed.quantity, parsed.optionType),
      entryPrice: parsed.entryPriceText,
      entryDate: parsed.entryDate,
      ...(notes && 'notes' in notes ? { notes: notes.notes } : {}),
    });
    await audit(tx, input.actor, updated, 'position.updated', lotSnapshot(p), lotSnapshot(updated));
    const changed = p.entryDate < updated.entryDate ? p.entryDate : updated.entryDate;
    const restated = await markRestated(tx, input.portfolio, changed);
    if (updated.entryDate > p.entryDate) await trimHistoryStart(tx, p.portfolioId);
    return { positions: [lotBody(updated)], restated };
  });
  return ok(change);
}

interface CloseLotInput {
  actor: Actor;
  portfolio: PortfolioRow;
  position: PositionRow;
  exitDate: string;
  exitPrice: number | string;
  quantity?: number | string | undefined;
  today: string;
}

/**
 * POST /positions/{id}/close: sells the whole lot, or `quantity` of it. A partial sale splits
 * the lot: the sold part becomes a lot of its own with the exit (and the same entry), the rest
 * stays open with the remaining quantity.
 */
export async function closeLot(
  db: Db,
  input: CloseLotInput,
): Promise<
  Outcome<LotChange & { realized_pnl: number; closed: LotBody; remaining: LotBody | null }>
> {
  const { position: p } = input;
  if (p.exitDate !== null) {
    return refused({
      status: 409,
      code: 'ERR_POSITION_CLOSED',
      message: `This ${p.symbol} lot was already sold on ${p.exitDate}; correct it instead`,
    });
  }
  const checked = checkSale(input);
  if ('errors' in checked) return invalidEdit(checked.errors);
  const { sale: parsed, sold } = checked;
  const partial = sold !== p.quantity;
  const multiplier = p.investmentClass === 'OPTIONS' ? 100 : 1;
  const change = await db.transaction(async (tx) => {
    let closed: PositionRow;
    let remaining: PositionRow | null = null;
    if (!partial) {
      closed = await new PositionRepository(tx).close(
        p.id,
        parsed.exitDate!,
        parsed.exitPriceText!,
      );
      await audit(tx, input.actor, closed, 'position.closed', lotSnapshot(p), lotSnapshot(closed));
    } else {
      ({ closed, remaining } = await sellPartOfLot(tx, input.actor, p, parsed, sold));
    }
    const restated = await markRestated(tx, input.portfolio, parsed.exitDate!);
    return { closed, remaining, restated };
  });
  const realized = (change.closed.exitPrice! - change.closed.entryPrice) * sold * multiplier;
  return ok({
    positions: [change.closed, ...(change.remaining ? [change.remaining] : [])].map(lotBody),
    closed: lotBody(change.closed),
    remaining: change.remaining ? lotBody(change.remaining) : null,
    realized_pnl: Math.round(realized * 100) / 100,
    restated: change.restated,
  });
}

/**
 * A sale checked by the row rules: the lot with its exit (and the sold quantity, when a part is
 * sold) as they parse it, and how much is sold — a part of the lot with its sign, or all of it.
 */
function checkSale(
  input: CloseLotInput,
): { sale: ParsedPosition; sold: number } | { errors: CsvError[] } {
  const { position: p } = input;
  const values = rowValuesOf(p);
  values.exitDate = input.exitDate.trim();
  values.exitPrice = String(input.exitPrice).trim();
  let sold = p.quantity;
  const errors: CsvError[] = [];
  if (input.quantity !== undefined) {
    values.quantity = String(input.quantity).trim();
  }
  const { row, errors: rowErrors } = checkEditedLot(values, input.today);
  errors.push(...rowErrors);
  if (row.position !== null && input.quantity !== undefined) {
    sold = row.position.quantity;
    if (Math.sign(sold) !== Math.sign(p.quantity) || Math.abs(sold) > Math.abs(p.quantity)) {
      errors.push({
        row: null,
        symbol: p.symbol,
        field: 'quantity',
        code: 'ERR_POS_005',
        message:
          `Quantity ${sold} cannot be sold from a lot of ${p.quantity}: give a part of it with ` +
          'the same sign (or leave it out to sell the whole lot)',
      });
    }
  }
  if (errors.length > 0 || row.position === null) return { errors };
  return { sale: row.position, sold };
}

/** A partial sale: the lot keeps the rest, the sold part becomes a closed lot split from it. */
async function sellPartOfLot(
  tx: Db,
  actor: Actor,
  p: PositionRow,
  sale: ParsedPosition,
  sold: number,
): Promise<{ closed: PositionRow; remaining: PositionRow }> {
  const repo = new PositionRepository(tx);
  const rest = Number((p.quantity - sold).toFixed(6));
  const remaining = await repo.update(p.id, {
    quantity: rest,
    positionType: positionTypeOf(rest, p.optionType),
  });
  const [closed] = (await repo.insertLots(p.portfolioId, [
    {
      symbol: p.symbol,
      positionType: p.positionType,
      quantity: sale.quantityText,
      entryPrice: p.entryPrice,
      entryDate: p.entryDate,
      exitDate: sale.exitDate,
      exitPrice: sale.exitPriceText,
      investmentClass: p.investmentClass,
      investmentSubtype: p.investmentSubtype,
      underlyingSymbol: p.underlyingSymbol,
      strikePrice: p.strikePrice,
      expirationDate: p.expirationDate,
      optionType: p.optionType,
      notes: p.notes,
      splitFromPositionId: p.id,
    },
  ])) as [PositionRow];
  await audit(tx, actor, remaining, 'position.closed', lotSnapshot(p), {
    sold: lotSnapshot(closed),
    remaining: lotSnapshot(remaining),
  });
  return { closed, remaining };
}

/** DELETE /positions/{id}: a lot entered in error leaves history as if it never was. */
export async function deleteLot(
  db: Db,
  input: { actor: Actor; portfolio: PortfolioRow; position: PositionRow },
): Promise<Outcome<LotChange>> {
  const p = input.position;
  const change = await db.transaction(async (tx) => {
    await new PositionRepository(tx).softDelete(p.id);
    await audit(tx, input.actor, p, 'position.deleted', lotSnapshot(p), null);
    const restated = await markRestated(tx, input.portfolio, p.entryDate);
    await trimHistoryStart(tx, p.portfolioId);
    return { positions: [lotBody(p)], restated };
  });
  return ok(change);
}
