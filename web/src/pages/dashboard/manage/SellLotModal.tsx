import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useSellLot } from '../../../api/hooks/positions.ts';
import { fieldErrorsOf } from '../../../features/manage/field-errors.ts';
import { halfOf, lotKind } from '../../../features/manage/lots.ts';
import { formatDate, formatPrice, formatQuantity, formatSignedMoney } from '../../../lib/format.ts';
import { todayInNewYork } from '../../../lib/today.ts';
import type { LotModalProps } from './lot-modal-props.ts';

const FIELDS = ['exit_date', 'exit_price', 'quantity'] as const;

/**
 * Sell all of a lot or part of it: a partial sale splits the lot (the sold part gets the exit,
 * the rest stays open). The answer's realized P&L is shown in the notice.
 */
export function SellLotModal({ portfolioId, lot, onClose }: LotModalProps) {
  const sell = useSellLot(portfolioId);
  const [quantity, setQuantity] = useState(String(lot.quantity));
  const [exitPrice, setExitPrice] = useState(
    lot.current_price !== null ? String(lot.current_price) : '',
  );
  const [exitDate, setExitDate] = useState(todayInNewYork());
  const errors = fieldErrorsOf(sell.error, FIELDS);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const sold = quantity.trim();
    const whole = Number(sold.replace(/,/g, '')) === lot.quantity;
    sell.mutate(
      {
        id: lot.id,
        sale: {
          exit_date: exitDate,
          exit_price: exitPrice.trim(),
          ...(whole ? {} : { quantity: sold }),
        },
      },
      {
        onSuccess: (data) => {
          const rest = data.remaining;
          notifications.show({
            color: data.realized_pnl < 0 ? 'red' : 'teal',
            title: `Sold ${formatQuantity(data.closed.quantity)} ${lot.symbol}`,
            message: `Realized P&L ${formatSignedMoney(data.realized_pnl)}${
              rest ? `; ${formatQuantity(rest.quantity)} still held.` : '; the lot is closed.'
            }`,
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

      title={`Sell ${lot.symbol}`}
      size="md"
    >
      <form onSubmit={submit} noValidate data-testid="sell-form">
        <Stack gap="sm">
          <Text size="sm">
            {lotKind(lot)} {formatQuantity(lot.quantity)} {lot.symbol}, bought{' '}
            {formatDate(lot.entry_date)} at {formatPrice(lot.entry_price)}.
          </Text>
          <TextInput
            label="Quantity to sell"
            description={`All of it is ${formatQuantity(lot.quantity)}; part of it splits the lot`}
            inputMode="decimal"
            value={quantity}
            onChange={(e) => setQuantity(e.currentTarget.value)}
            error={errors.fields.quantity}
            data-autofocus
            rightSectionWidth={96}
            rightSection={
              <Group gap={4} wrap="nowrap">
                <Button
                  size="compact-xs"
                  variant="default"
                  onClick={() => setQuantity(String(halfOf(lot.quantity)))}
                >
                  Half
                </Button>
                <Button
                  size="compact-xs"
                  variant="default"
                  onClick={() => setQuantity(String(lot.quantity))}
                >
                  All
                </Button>
              </Group>
            }
          />
          <Group grow align="flex-start" gap="sm">
            <TextInput
              label="Exit price"
              inputMode="decimal"
              value={exitPrice}
              onChange={(e) => setExitPrice(e.currentTarget.value)}
              error={errors.fields.exit_price}
            />
            <TextInput
              label="Exit date"
              type="date"
              value={exitDate}
              min={lot.entry_date}
              max={todayInNewYork()}
              onChange={(e) => setExitDate(e.currentTarget.value)}
              error={errors.fields.exit_date}
            />
          </Group>
          {errors.general.map((message) => (
            <Alert key={message} color="red" role="alert">
              {message}
            </Alert>
          ))}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={sell.isPending} data-testid="confirm-sell">
              Sell
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
