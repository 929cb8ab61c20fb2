import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client.ts';
import { useLogin, useMe } from '../api/hooks/auth.ts';
import { PORTFOLIOS_QUERY_KEY } from '../api/hooks/portfolios.ts';
import { prefetchDashboard } from '../api/hooks/prefetch-dashboard.ts';
import { lastPortfolioScope } from '../components/usePortfolioScope.ts';
import { preloadDashboard } from '../app/router.tsx';
import { AuthFrame } from './AuthFrame.tsx';
import { authErrorText } from './auth-messages.ts';

/** Only paths of this app: `next` must never send the user to another site. */
function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : null;
}

export default function SignInPage() {
  const me = useMe();
  const login = useLogin();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [routing, setRouting] = useState(false);
  const [preloaded, setPreloaded] = useState(false);
  const preloadOnce = () => {
    if (preloaded) return;
    setPreloaded(true);
    preloadDashboard();
  };

  if (me.data && !login.isSuccess && !routing) return <Navigate to="/" replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate(
      { email: email.trim(), password },
      {
        onSuccess: async () => {
          setRouting(true);
          const next = safeNext(params.get('next'));
          if (next) return navigate(next, { replace: true });
          // No portfolio yet: straight to Upload.
          try {
            const portfolios = await queryClient.fetchQuery({
              queryKey: PORTFOLIOS_QUERY_KEY,
              queryFn: () => unwrap(api.GET('/api/v1/data/portfolios')),
            });
            if (portfolios.length === 0) return navigate('/upload', { replace: true });
            prefetchDashboard(queryClient, portfolios, lastPortfolioScope() ?? 'all');
            return navigate('/dashboard', { replace: true });
          } catch {
            return navigate('/dashboard', { replace: true });
          }
        },
      },
    );
  };

  return (
    <AuthFrame title="Sign in">
      {/* Typing starts loading the dashboard's code, so signing in does not wait for it. */}
      <form onSubmit={submit} noValidate onInput={preloadOnce}>
        <Stack gap="sm">
          {login.isError && (
            <Alert
              color="red"
              icon={<IconAlertCircle size={18} />}
              role="alert"
              data-testid="auth-error"
            >
              {authErrorText(login.error)}
            </Alert>
          )}
          <TextInput
            label="E-mail"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            autoFocus
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={login.isPending || routing} disabled={!email || !password}>
            Sign in
          </Button>
          <Text size="sm" ta="center">
            New to Betaboard?{' '}
            <Anchor component={Link} to="/sign-up" underline="always">
              Create an account
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AuthFrame>
  );
}
