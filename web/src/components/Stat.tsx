import { Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** A labelled figure in a card: label above, value large, an optional line below. */
export function Stat({
  label,
  value,
  sub,
  testId,
}: {
  label: string;
  value: ReactNode;
  sub?: ReactNode;
  testId?: string;
}) {
  return (
    <Stack gap={2} data-testid={testId} style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: 0.3 }}>
        {label}
      </Text>
      <Text fz={{ base: 'lg', sm: 'xl' }} fw={650} className="bb-num" component="div">
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
