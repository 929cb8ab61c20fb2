import { Alert, Button, Card, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle, IconRefresh } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { messageOf } from '../api/errors.ts';
import { reasonInWords } from '../lib/reasons.ts';

interface QueryLike<T> {
  data: T | undefined;
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
  isFetching?: boolean;
}

interface QueryCardProps<T> {
  title: ReactNode;
  /** A stable id for tests and anchors. */
  testId?: string;
  query: QueryLike<T>;
  children: (data: T) => ReactNode;
  /** Controls beside the title (selectors, toggles). */
  actions?: ReactNode;
  /** Why the data cannot be shown although the call succeeded; default: `available: false`. */
  unavailableReason?: (data: T) => string | null;
  skeletonHeight?: number;
  /** A message in words that replaces the whole body (e.g. "pick a single portfolio"). */
  notApplicable?: string | null;
  /** What a 404 means for this card (a route this server does not have yet). */
  notFoundText?: string;
}

function defaultUnavailable(data: unknown): string | null {
  if (data && typeof data === 'object' && 'available' in data) {
    const d = data as { available: boolean; reason?: string | null };
    if (d.available === false) return reasonInWords(d.reason);
  }
  return null;
}

type QueryBodyProps<T> = Pick<
  QueryCardProps<T>,
  'query' | 'children' | 'unavailableReason' | 'skeletonHeight' | 'notApplicable' | 'notFoundText'
>;

/**
 * A card's body by the state of its query (skeleton, error with Retry, "not available", the
 * data) — on its own for a query shown inside another card (a tab).
 */
export function QueryBody<T>({
  query,
  children,
  unavailableReason = defaultUnavailable,
  skeletonHeight = 120,
  notApplicable,
  notFoundText,
}: QueryBodyProps<T>) {
  if (notApplicable) return <NotAvailable reason={notApplicable} />;
  if (query.isError) {
    const status = (query.error as { status?: number } | null)?.status;
    return status === 404 && notFoundText ? (
      <NotAvailable reason={notFoundText} />
    ) : (
      <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} role="alert">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Text size="sm">{messageOf(query.error)}</Text>
          <Button
            size="xs"
            variant="default"
            leftSection={<IconRefresh size={14} />}
            onClick={() => void query.refetch()}
            loading={query.isFetching}
          >
            Retry
          </Button>
        </Group>
      </Alert>
    );
  }
  if (query.isPending || query.data === undefined) {
    return (
      <Stack gap="xs" aria-busy="true" aria-label="Loading">
        <Skeleton height={14} width="40%" />
        <Skeleton height={Math.max(skeletonHeight - 24, 20)} />
      </Stack>
    );
  }
  const reason = unavailableReason(query.data);
  return reason ? <NotAvailable reason={reason} /> : children(query.data);
}

/**
 * One analytics card: a skeleton while loading, the error in words with Retry when the call
 * failed, "not available — reason" when the API says so. Each card loads and fails on its own,
 * so one failing endpoint never blanks a page.
 */
export function QueryCard<T>({ title, testId, actions, ...body }: QueryCardProps<T>) {
  return (
    <Card
      data-testid={testId}
      component="section"
      aria-label={typeof title === 'string' ? title : undefined}
    >
      <Group justify="space-between" align="center" mb="sm" wrap="wrap" gap="xs">
        <Title order={2} size="h5">
          {title}
        </Title>
        {actions}
      </Group>
      <QueryBody {...body} />
    </Card>
  );
}

export function NotAvailable({ reason }: { reason: string }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start" data-testid="not-available">
      <IconInfoCircle size={18} style={{ flexShrink: 0, marginTop: 2 }} aria-hidden />
      <Text size="sm" c="dimmed">
        Not available — {reason}.
      </Text>
    </Group>
  );
}
