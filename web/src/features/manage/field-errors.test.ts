import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/errors.ts';
import { fieldErrorsOf } from './field-errors.ts';

const FIELDS = ['symbol', 'quantity', 'entry_price', 'entry_date', 'notes'] as const;

describe('fieldErrorsOf', () => {
  it('puts row-rule errors of the lot on its fields', () => {
    const error = new ApiError(400, 'ERR_LOTS_INVALID', '2 errors', {
      errors: [
        { row: 0, field: 'entry_price', code: 'ERR_POS_010', message: 'Entry price must be > 0' },
        {
          row: 0,
          field: 'entry_date',
          code: 'ERR_POS_014',
          message: 'Entry date is in the future',
        },
        { row: 1, field: 'symbol', code: 'ERR_POS_001', message: 'another lot' },
      ],
    });
    expect(fieldErrorsOf(error, FIELDS)).toEqual({
      fields: {
        entry_price: 'Entry price must be > 0',
        entry_date: 'Entry date is in the future',
      },
      general: [],
    });
    expect(fieldErrorsOf(error, FIELDS, 1).fields).toEqual({ symbol: 'another lot' });
  });

  it('reads request-validation issues, indexed (`0.quantity`) or not', () => {
    const indexed = new ApiError(422, 'ERR_VALIDATION', 'Invalid body', {
      issues: [{ field: '0.quantity', message: 'Invalid input' }],
    });
    expect(fieldErrorsOf(indexed, FIELDS).fields).toEqual({ quantity: 'Invalid input' });
    const plain = new ApiError(422, 'ERR_VALIDATION', 'Invalid body', {
      issues: [
        { field: 'quantity', message: 'Quantity sold exceeds the lot' },
        { field: 'quantity', message: 'a second message' },
      ],
    });
    expect(fieldErrorsOf(plain, ['quantity', 'exit_date']).fields).toEqual({
      quantity: 'Quantity sold exceeds the lot',
    });
  });

  it('keeps what names no field of the form as a general message', () => {
    const body = new ApiError(422, 'ERR_VALIDATION', 'Invalid body: (body): give one', {
      issues: [{ field: '(body)', message: 'give at least one field' }],
    });
    expect(fieldErrorsOf(body, FIELDS)).toEqual({
      fields: {},
      general: ['give at least one field'],
    });
    const closed = new ApiError(409, 'ERR_POSITION_CLOSED', 'The lot is already sold');
    expect(fieldErrorsOf(closed, FIELDS)).toEqual({
      fields: {},
      general: ['The lot is already sold'],
    });
    expect(fieldErrorsOf(new TypeError('Failed to fetch'), FIELDS).general).toEqual([
      'Could not reach the server. Check your connection.',
    ]);
    expect(fieldErrorsOf(null, FIELDS)).toEqual({ fields: {}, general: [] });
  });
});
