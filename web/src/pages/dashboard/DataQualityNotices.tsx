import { Alert, List, Stack } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useOnboardingStatus } from '../../api/hooks/onboarding.ts';
import { useSnapshot } from '../../api/hooks/portfolio-data.ts';
import type { AggregatePortfolio } from '../../api/types.ts';
import { formatDate } from '../../lib/format.ts';

interface DataIssue {
  symbol?: string;
  message?: string;
}

/**
 * Honest about data quality: prices carried forward or missing (the snapshot's data_issues), a
 * provisional day, or a last run that ended partial.
 */
export function PortfolioDataNotices({ portfolioId }: { portfolioId: string }) {
  const snapshot = useSnapshot(portfolioId);
  const status = useOnboardingStatus(portfolioId, false);
  const issues = ((snapshot.data as { data_issues?: DataIssue[] } | undefined)?.data_issues ?? [])
    .map((i) => i.message ?? i.symbol)
    .filter((m): m is string => Boolean(m));
  const provisional = snapshot.data?.available && snapshot.data.is_complete === false;
  const partial = status.data?.status === 'partial';
  if (issues.length === 0 && !provisional && !partial) return null;
  return (
    <Alert
      color="yellow"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title="Data quality"
      data-testid="data-quality"
    >
      <Stack gap={4}>
        {provisional && (
          <div>
            The numbers of {formatDate(snapshot.data?.snapshot_date)} are provisional: a price was
            missing for longer than the carry limit.
          </div>
        )}
        {partial && (
          <div>The last calculation completed with warnings: some holdings were left out.</div>
        )}
        {issues.length > 0 && (
          <List size="sm" spacing={2}>
            {issues.slice(0, 8).map((m) => (
              <List.Item key={m}>{m}</List.Item>
            ))}
            {issues.length > 8 && <List.Item>…and {issues.length - 8} more</List.Item>}
          </List>
        )}
      </Stack>
    </Alert>
  );
}

/** All accounts: portfolios left out of the totals (nothing calculated yet). */
export function AggregateNotices({ portfolios }: { portfolios: AggregatePortfolio[] }) {
  const excluded = portfolios.filter((p) => !p.included);
  if (excluded.length === 0) return null;
  return (
    <Alert
      color="yellow"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      data-testid="data-quality"
    >
      Not included in the totals (no calculation yet): {excluded.map((p) => p.name).join(', ')}.
    </Alert>
  );
}
