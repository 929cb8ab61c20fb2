import { Alert, Anchor, Group, Loader, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useRecalculationWatch } from '../../../features/manage/useRecalculationWatch.ts';

/** "Recalculating…" while the calculation a change queued (or any other) is on its way. */
export function RecalculationBanner({ portfolioId }: { portfolioId: string }) {
  const { status, running } = useRecalculationWatch(portfolioId);
  if (!running) return null;
  // The status of a queued run still carries the previous run's progress: only a running
  // one's phase and percentage are this calculation's.
  const isRunning = status?.status === 'running';
  const phase = isRunning ? status?.overall_progress?.current_phase_name : null;
  const rawPercent = isRunning ? status?.overall_progress?.percent_complete : null;
  const percent = typeof rawPercent === 'number' && rawPercent < 100 ? rawPercent : null;
  return (
    <Alert
      color="blue"
      variant="light"
      data-testid="recalculation-banner"
      role="status"
      icon={<Loader size={16} aria-hidden />}
    >
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Text size="sm">
          Recalculating analytics with your changes
          {phase ? ` — ${phase}` : status?.status === 'queued' ? ' — queued' : ''}
          {typeof percent === 'number' ? ` (${Math.round(percent)}%)` : ''}. The dashboard refreshes
          when it is done.
        </Text>
        <Anchor
          component={Link}
          to={`/progress/${portfolioId}`}
          size="sm"
          c="var(--bb-link-on-tint)"
          underline="always"
        >
          Follow progress
        </Anchor>
      </Group>
    </Alert>
  );
}
