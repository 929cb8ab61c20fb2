import { Text } from '@mantine/core';
import { formatDate } from '../lib/format.ts';

/** "Data as of Jul 31, 2026" under an analytics page's title. */
export function DataAsOf({ date }: { date: string | null | undefined }) {
  return (
    <Text span size="sm" c="dimmed" data-testid="data-as-of">
      {date ? `Data as of ${formatDate(date)}` : 'No calculated data yet'}
    </Text>
  );
}
