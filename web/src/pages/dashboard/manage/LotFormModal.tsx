import { Alert, Button, Group, Modal, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useAddLots, useCorrectLot, type LotCorrection } from '../../../api/hooks/positions.ts';
import type { PositionDetail } from '../../../api/types.ts';
import { fieldErrorsOf } from '../../../features/manage/field-errors.ts';
import { lotKind } from '../../../features/manage/lots.ts';
import { formatDate, formatPrice, formatQuantity } from '../../../lib/format.ts';
import { todayInNewYork } from '../../../lib/today.ts';

const FIELDS = ['symbol', 'quantity', 'entry_price', 'entry_date', 'notes'] as const;
type Field = (typeof FIELDS)[number];
type Values = Record<Field, string>;

/** A number as the input shows it: plain digits, no separators (what a person types). */
const plain = (n: number) => String(n);

interface LotFormModalProps {
  portfolioId: string;
  /** The lot to correct; absent to add one. */
  lot?: PositionDetail;
  onClose: () => void;
}

/**
 * Add a lot, or correct one (quantity, entry price and date, notes: symbol and option terms
 * are another instrument). The API checks the values with the upload's row rules and its
 * messages are shown on the fields they name.
 */
export function LotFormModal({ portfolioId, lot, onClose }: LotFormModalProps) {
  const editing = lot !== undefined;
  const add = useAddLots(portfolioId);
  const correct = useCorrectLot(portfolioId);
  const mutation = editing ? correct : add;
  const [values, setValues] = useState<Values>(() => ({
    symbol: lot?.symbol ?? '',
    quantity: lot ? plain(lot.quantity) : '',
    entry_price: lot ? plain(lot.entry_price) : '',
    entry_date: lot?.entry_date ?? todayInNewYork(),
    notes: lot?.notes ?? '',
  }));
  const errors = fieldErrorsOf(mutation.error, FIELDS);
  const set = (field: Field) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setValues((v) => ({ ...v, [field]: value }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const notes = values.notes.trim() || null;
    if (!editing) {
      add.mutate(
        [
          {
            symbol: values.symbol.trim().toUpperCase(),
            quantity: values.quantity.trim(),
            entry_price: values.entry_price.trim(),
            entry_date: values.entry_date,
            ...(notes ? { notes } : {}),
          },
        ],
        {
          onSuccess: (data) => {
            const added = data.positions[0];
            notifications.show({
              color: 'teal',
              title: 'Lot added',
              message: added
                ? `${formatQuantity(added.quantity)} ${added.symbol} at ${formatPrice(added.entry_price)} on ${formatDate(added.entry_date)}.`
                : 'The lot was added.',
            });
            onClose();
          },
        },
      );
      return;
    }
    const patch: LotCorrection = {};
    if (values.quantity.trim() !== plain(lot.quantity)) patch.quantity = values.quantity.trim();
    if (values.entry_price.trim() !== plain(lot.entry_price)) {
      patch.entry_price = values.entry_price.trim();
    }
    if (values.entry_date !== lot.entry_date) patch.entry_date = values.entry_date;
    if (notes !== (lot.notes ?? null)) patch.notes = notes;
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    correct.mutate(
      { id: lot.id, patch },
      {
        onSuccess: () => {
          notifications.show({
            color: 'teal',
            title: 'Lot corrected',
            message: `${lot.symbol}: history is restated from the earliest date the correction changes.`,
          });
          onClose();
        },
      },
    );
  };

  return (
    <Modal
      opened
      onClose={onClose}

      title={editing ? `Correct ${lot.symbol}` : 'Add a lot'}
      size="md"
    >
      <form onSubmit={submit} noValidate data-testid="lot-form">
        <Stack gap="sm">
          {editing ? (
            <Text size="sm" c="dimmed">
              {lotKind(lot)} {lot.symbol}. The symbol and option terms cannot be changed: remove the
              lot and add a new one instead.
            </Text>
          ) : (
            <TextInput
              label="Symbol"
              description="A ticker, or an option's OCC symbol (AAPL270115C00250000)"
              value={values.symbol}
              onChange={set('symbol')}
              error={errors.fields.symbol}
              autoComplete="off"
              data-autofocus
            />
          )}
          <Group grow align="flex-start" gap="sm">
            <TextInput
              label="Quantity"
              description="Negative for a short"
              inputMode="decimal"
              value={values.quantity}
              onChange={set('quantity')}
              error={errors.fields.quantity}
              data-autofocus={editing || undefined}
            />
            <TextInput
              label="Entry price"
              description="Per share or contract"
              inputMode="decimal"
              value={values.entry_price}
              onChange={set('entry_price')}
              error={errors.fields.entry_price}
            />
          </Group>
          <TextInput
            label="Entry date"
            type="date"
            value={values.entry_date}
            max={todayInNewYork()}
            onChange={set('entry_date')}
            error={errors.fields.entry_date}
          />
          <Textarea
            label="Notes"
            autosize
            minRows={2}
            maxRows={5}
            value={values.notes}
            onChange={set('notes')}
            error={errors.fields.notes}
          />
          {errors.general.map((message) => (
            <Alert key={message} color="red" role="alert">
              {message}
            </Alert>
          ))}
          <Text size="xs" c="dimmed">
            Saving restates the portfolio&apos;s history from the earliest date it changes and
            starts a recalculation.
          </Text>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending} data-testid="save-lot">
              {editing ? 'Save correction' : 'Add lot'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
