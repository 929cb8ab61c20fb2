import { Alert, Button, Center, Container, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { messageOf } from '../api/errors.ts';
import { useMe } from '../api/hooks/auth.ts';
import { PageSkeleton } from '../components/PageSkeleton.tsx';

/** Pages behind sign-in: without a session, go to sign in and come back afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <PageSkeleton />;
  if (me.isError) {
    return (
      <Container size="xs" py="xl">
        <Center>
          <Stack>
            <Alert color="red" title="Betaboard is not reachable" role="alert">
              <Text size="sm">{messageOf(me.error)}</Text>
            </Alert>
            <Button onClick={() => void me.refetch()}>Retry</Button>
          </Stack>
        </Center>
      </Container>
    );
  }
  if (!me.data) {
    const next = location.pathname + location.search;
    return (
      <Navigate to={`/sign-in${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`} replace />
    );
  }
  return children;
}
