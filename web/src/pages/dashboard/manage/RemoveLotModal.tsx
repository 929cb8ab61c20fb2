import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { messageOf } from '../../../api/errors.ts';
import { useRemoveLot } from '../../../api/hooks/positions.ts';
import { formatDate, formatPrice, formatQuantity } from '../../../lib/format.ts';
import type { LotModalProps } from './lot-modal-props.ts';

/** Removing a lot entered in error, after a confirmation (a sale is recorded with Sell). */
export function RemoveLotModal({ portfolioId, lot, onClose }: LotModalProps) {
  const remove = useRemoveLot(portfolioId);
  const what = `${formatQuantity(lot.quantity)} ${lot.symbol} bought ${formatDate(lot.entry_date)} at ${formatPrice(lot.entry_price)}`;
  const confirm = () =>
    remove.mutate(lot.id, {
      onSuccess: () => {
        notifications.show({ color: 'teal', title: 'Lot removed', message: `Removed ${what}.` });
        onClose();
      },
    });
  return (
    <Modal
      opened
      onClose={onClose}

      title={`Remove ${lot.symbol}?`}
      size="md"
    >
      <Stack gap="sm" data-testid="remove-dialog">
        <Text size="sm">Remove {what}?</Text>
        <Text size="sm" c="dimmed">
          The lot leaves the portfolio&apos;s history as if it had never been entered. To record a
          sale, use Sell instead. The activity trail keeps what it was.
        </Text>
        {remove.isError && (
          <Alert color="red" role="alert">
            {messageOf(remove.error)}
          </Alert>
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button
            color="red"
            onClick={confirm}
            loading={remove.isPending}
            data-testid="confirm-remove"
          >
            Remove lot
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
