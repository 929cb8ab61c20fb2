import {
  ActionIcon,
  Alert,
  Button,
  Group,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { IconPlus, IconRefresh, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { messageOf } from '../../api/errors.ts';
import { useCalculate } from '../../api/hooks/onboarding.ts';
import {
  useAddEquityChange,
  useDeleteEquityChange,
  useEquityChanges,
} from '../../api/hooks/portfolio-data.ts';
import { Num } from '../../components/numbers.tsx';
import { QueryCard } from '../../components/QueryCard.tsx';
import { formatDate, formatSignedMoney } from '../../lib/format.ts';
import { todayInNewYork } from '../../lib/today.ts';
import { EquitySummary, ExportEquityButton } from './EquitySummary.tsx';

/** Contributions and withdrawals: list, add, delete, and "Recalculate now". */
export function EquityChangesCard({ portfolioId }: { portfolioId: string }) {
  const query = useEquityChanges(portfolioId);
  const add = useAddEquityChange(portfolioId);
  const remove = useDeleteEquityChange(portfolioId);
  const calculate = useCalculate();
  const navigate = useNavigate();
  const [type, setType] = useState<'CONTRIBUTION' | 'WITHDRAWAL'>('CONTRIBUTION');
  const [amount, setAmount] = useState('');
  const [date, setDate] = useState(todayInNewYork());
  const [notes, setNotes] = useState('');
  const parsedAmount = Number(amount.replace(/[$,\s]/g, ''));
  const amountError = amount && !(parsedAmount > 0) ? 'Enter an amount above zero' : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!(parsedAmount > 0)) return;
    add.mutate(
      { change_type: type, amount: parsedAmount, change_date: date, notes: notes.trim() || null },
      { onSuccess: () => (setAmount(''), setNotes('')) },
    );
  };
  const recalculate = () =>
    calculate.mutate(
      { portfolioId, mode: 'full' },
      { onSuccess: () => navigate(`/progress/${portfolioId}`) },
    );

  return (
    <QueryCard
      title="Equity changes"
      testId="equity-changes"
      query={query}
      actions={<ExportEquityButton portfolioId={portfolioId} />}
    >
      {(data) => (
        <Stack gap="sm">
          <EquitySummary portfolioId={portfolioId} />
          {data.equity_changes.length === 0 ? (
            <Text size="sm" c="dimmed">
              No contributions or withdrawals recorded.
            </Text>
          ) : (
            <Table fz="sm" verticalSpacing={4} aria-label="Equity changes">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Date</Table.Th>
                  <Table.Th ta="right">Amount</Table.Th>
                  <Table.Th visibleFrom="sm">Notes</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.equity_changes.map((c) => {
                  const signed = c.change_type === 'WITHDRAWAL' ? -c.amount : c.amount;
                  return (
                    <Table.Tr key={c.id}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {formatDate(c.change_date)}
                      </Table.Td>
                      <Table.Td ta="right">
                        <Num value={signed} text={formatSignedMoney(signed)} colored />
                      </Table.Td>
                      <Table.Td visibleFrom="sm">
                        <Text size="sm" truncate maw={220}>
                          {c.notes ?? ''}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={`Delete the ${c.change_type.toLowerCase()} of ${formatDate(c.change_date)}`}
                          onClick={() => remove.mutate(c.id)}
                          loading={remove.isPending && remove.variables === c.id}
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          )}
          <form onSubmit={submit} aria-label="Add an equity change">
            <Stack gap="xs">
              <SegmentedControl
                size="xs"
                value={type}
                onChange={(v) => setType(v as typeof type)}
                data={[
                  { value: 'CONTRIBUTION', label: 'Contribution' },
                  { value: 'WITHDRAWAL', label: 'Withdrawal' },
                ]}
                aria-label="Kind of change"
              />
              <Group grow gap="xs" wrap="wrap">
                <TextInput
                  size="xs"
                  label="Amount"
                  inputMode="decimal"
                  placeholder="$50,000"
                  value={amount}
                  onChange={(e) => setAmount(e.currentTarget.value)}
                  error={amountError}
                  miw={120}
                />
                <TextInput
                  size="xs"
                  label="Date"
                  type="date"
                  value={date}
                  max={todayInNewYork()}
                  onChange={(e) => setDate(e.currentTarget.value)}
                  miw={140}
                />
              </Group>
              <TextInput
                size="xs"
                label="Notes"
                value={notes}
                onChange={(e) => setNotes(e.currentTarget.value)}
              />
              {add.isError && (
                <Alert color="red" role="alert">
                  {messageOf(add.error)}
                </Alert>
              )}
              {remove.isError && (
                <Alert color="red" role="alert">
                  {messageOf(remove.error)}
                </Alert>
              )}
              <Group justify="space-between" gap="xs">
                <Button
                  type="submit"
                  size="xs"
                  leftSection={<IconPlus size={14} />}
                  loading={add.isPending}
                  disabled={!(parsedAmount > 0)}
                >
                  Add
                </Button>
                <Button
                  size="xs"
                  variant="default"
                  leftSection={<IconRefresh size={14} />}
                  onClick={recalculate}
                  loading={calculate.isPending}
                >
                  Recalculate now
                </Button>
              </Group>
              <Text size="xs" c="dimmed">
                Each change restates history from its date: a recalculation starts by itself.
                “Recalculate now” restates every day.
              </Text>
              {calculate.isError && (
                <Alert color="red" role="alert">
                  {messageOf(calculate.error)}
                </Alert>
              )}
            </Stack>
          </form>
        </Stack>
      )}
    </QueryCard>
  );
}
