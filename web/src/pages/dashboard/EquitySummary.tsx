import { Button, Group, SimpleGrid, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { messageOf } from '../../api/errors.ts';
import { useEquitySummary, useExportEquityChanges } from '../../api/hooks/positions.ts';
import { Num } from '../../components/numbers.tsx';
import { QueryBody } from '../../components/QueryCard.tsx';
import { Stat } from '../../components/Stat.tsx';
import { formatDate, formatMoney, formatSignedMoney } from '../../lib/format.ts';

const changes = (n: number) => (n === 0 ? 'none' : `${n} change${n === 1 ? '' : 's'}`);

const signed = (value: number) => (
  <Num value={value} text={formatSignedMoney(value)} colored fz="inherit" fw="inherit" />
);

/** Totals of the contributions and withdrawals: all time, the last 30 and 90 days, the latest. */
export function EquitySummary({ portfolioId }: { portfolioId: string }) {
  const query = useEquitySummary(portfolioId);
  return (
    <QueryBody query={query} skeletonHeight={70}>
      {(s) => {
        const last = s.last_change;
        return (
          <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm" data-testid="equity-summary">
            <Stat
              label="Contributions"
              value={formatMoney(s.total_contributions)}
              testId="equity-contributions"
            />
            <Stat
              label="Withdrawals"
              value={formatMoney(s.total_withdrawals)}
              testId="equity-withdrawals"
            />
            <Stat label="Net flow" value={signed(s.net_flow)} testId="equity-net-flow" />
            <Stat
              label="Last 30 days"
              value={signed(s.periods['30d'].net_flow)}
              sub={changes(s.periods['30d'].count)}
              testId="equity-30d"
            />
            <Stat
              label="Last 90 days"
              value={signed(s.periods['90d'].net_flow)}
              sub={changes(s.periods['90d'].count)}
              testId="equity-90d"
            />
            <Stat
              label="Last change"
              small
              testId="equity-last-change"
              value={
                last ? (
                  signed(last.change_type === 'WITHDRAWAL' ? -last.amount : last.amount)
                ) : (
                  <Text c="dimmed" span>
                    none
                  </Text>
                )
              }
              sub={last ? formatDate(last.change_date) : undefined}
            />
          </SimpleGrid>
        );
      }}
    </QueryBody>
  );
}

/** Downloads every equity change as CSV (the export route, through the session cookie). */
export function ExportEquityButton({ portfolioId }: { portfolioId: string }) {
  const exportCsv = useExportEquityChanges(portfolioId);
  return (
    <Group gap="xs">
      {exportCsv.isError && (
        <Text size="xs" c="red" role="alert">
          {messageOf(exportCsv.error)}
        </Text>
      )}
      <Button
        size="xs"
        variant="default"
        leftSection={<IconDownload size={14} />}
        onClick={() => exportCsv.mutate()}
        loading={exportCsv.isPending}
        data-testid="export-equity"
      >
        Export CSV
      </Button>
    </Group>
  );
}
