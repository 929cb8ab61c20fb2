import { Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** A labelled figure in a card: label above, value large, an optional line below. */
export function Stat({
  label,
  value,
  sub,
  testId,
  small = false,
}: {
  label: string;
  value: ReactNode;
  sub?: ReactNode;
  testId?: string;
  /** Words rather than a figure (a sector, a symbol): smaller, and wrapped when long. */
  small?: boolean;
}) {
  return (
    <Stack gap={2} data-testid={testId} style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: 0.3 }}>
        {label}
      </Text>
      <Text
        fz={small ? 'md' : { base: 'lg', sm: 'xl' }}
        fw={650}
        className={small ? undefined : 'bb-num'}
        component="div"
        style={{ overflowWrap: 'anywhere' }}
      >
        {value}
      </Text>
      {sub !== undefined && (
        <Text size="xs" c="dimmed" component="div">
          {sub}
        </Text>
      )}
    </Stack>
  );
}
