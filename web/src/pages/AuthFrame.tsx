import { Box, Center, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** The frame of sign-in and sign-up: a centred card with the product's name. */
export function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Center mih="100vh" p="md" component="main">
      <Box w="100%" maw={420}>
        <Stack gap={4} mb="lg" align="center">
          <svg width="40" height="40" viewBox="0 0 32 32" aria-hidden>
            <rect width="32" height="32" rx="7" fill="var(--mantine-primary-color-filled)" />
            <path
              d="M7 22 L13 14 L18 18 L25 9"
              fill="none"
              stroke="#fff"
              strokeWidth="3"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
          <Text fw={750} size="xl">
            Betaboard
          </Text>
          <Text size="sm" c="dimmed" ta="center">
            Portfolio risk analytics: exposures, factor betas, stress tests.
          </Text>
        </Stack>
        <Paper withBorder p="lg" radius="md">
          <Title order={1} size="h3" mb="md">
            {title}
          </Title>
          {children}
        </Paper>
      </Box>
    </Center>
  );
}
