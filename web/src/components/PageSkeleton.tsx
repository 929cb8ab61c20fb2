import { Container, Skeleton, Stack } from '@mantine/core';

/** What shows while a page's code loads: the page's shape, never a spinner. */
export function PageSkeleton() {
  return (
    <Container size="xl" py="md" aria-busy="true" aria-label="Loading">
      <Stack gap="md">
        <Skeleton height={28} width={220} />
        <Skeleton height={110} />
        <Skeleton height={260} />
      </Stack>
    </Container>
  );
}
