import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { IconArrowRight, IconPlus } from '@tabler/icons-react';
import { useEffect } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { Tag, type Tone } from '../../components/Tag.tsx';
import { formatInteger } from '../../lib/format.ts';
import { setUploadSessionStatus, type SessionItemStatus } from './upload-session.ts';
import { useUploadSession } from './useUploadSession.ts';

const STATUS_BADGE: Record<SessionItemStatus, { label: string; tone: Tone }> = {
  processing: { label: 'Processing', tone: 'info' },
  ready: { label: 'Ready', tone: 'good' },
  warnings: { label: 'Ready with warnings', tone: 'warn' },
  failed: { label: 'Failed', tone: 'bad' },
};

function sessionStatusOf(status: string): SessionItemStatus | null {
  if (status === 'completed') return 'ready';
  if (status === 'partial') return 'warnings';
  if (status === 'failed') return 'failed';
  return null;
}

/**
 * The portfolios added in this browser session with their status (polled every 2 s while
 * processing) and position counts; "Add another portfolio" and "Continue to dashboard".
 */
export function SessionList({ showActions = true }: { showActions?: boolean }) {
  const items = useUploadSession();
  const navigate = useNavigate();
  const processing = items.filter((i) => i.status === 'processing');
  const statuses = useQueries({
    queries: processing.map((item) => ({
      queryKey: ['onboarding-status', item.portfolioId],
      queryFn: () =>
        unwrap(
          api.GET('/api/v1/onboarding/status/{id}', {
            params: { path: { id: item.portfolioId } },
          }),
        ),
      refetchInterval: 2000,
      retry: false,
    })),
  });
  const finished = statuses.map((q) => (q.data ? sessionStatusOf(q.data.status) : null));
  const finishedKey = finished.join(',');
  useEffect(() => {
    processing.forEach((item, i) => {
      const status = finished[i];
      if (status) setUploadSessionStatus(item.portfolioId, status);
    });
    // finishedKey stands for `finished`, which is a new array on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [finishedKey]);

  if (items.length === 0) return null;
  const firstReady = items.find((i) => i.status === 'ready' || i.status === 'warnings');

  return (
    <Card data-testid="session-list" component="section" aria-label="Added this session">
      <Title order={2} size="h5" mb="sm">
        Added this session
      </Title>
      <Stack gap="xs">
        {items.map((item) => {
          const badge = STATUS_BADGE[item.status];
          return (
            <Group
              key={item.portfolioId}
              justify="space-between"
              wrap="nowrap"
              gap="xs"
              data-testid="session-item"
            >
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text
                  size="sm"
                  fw={600}
                  truncate
                  component={Link}
                  to={`/progress/${item.portfolioId}`}
                  c="var(--mantine-color-anchor)"
                >
                  {item.name}
                </Text>
                <Text size="xs" c="dimmed" truncate>
                  {item.accountName} · {formatInteger(item.positions)} positions
                </Text>
              </Stack>
              <Tag tone={badge.tone} style={{ flexShrink: 0 }}>
                {badge.label}
              </Tag>
            </Group>
          );
        })}
      </Stack>
      {showActions && (
        <Group mt="md" gap="xs">
          <Button
            size="xs"
            variant="default"
            leftSection={<IconPlus size={14} />}
            component={Link}
            to="/upload"
            data-testid="add-another"
          >
            Add another portfolio
          </Button>
          <Button
            size="xs"
            rightSection={<IconArrowRight size={14} />}
            disabled={!firstReady}
            onClick={() => firstReady && navigate(`/dashboard?portfolio=${firstReady.portfolioId}`)}
            data-testid="continue-dashboard"
          >
            Continue to dashboard
          </Button>
        </Group>
      )}
    </Card>
  );
}
