import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useLogin, useRegister } from '../api/hooks/auth.ts';
import { AuthFrame } from './AuthFrame.tsx';
import { authErrorText } from './auth-messages.ts';

export default function SignUpPage() {
  const register = useRegister();
  const login = useLogin();
  const navigate = useNavigate();
  const [fullName, setFullName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const tooShort = password.length > 0 && password.length < 8;
  const error = register.error ?? login.error;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const credentials = { email: email.trim(), password };
    register.mutate(
      { ...credentials, full_name: fullName.trim() || null },
      {
        // A new account has no portfolio yet: sign in and go to Upload.
        onSuccess: () =>
          login.mutate(credentials, { onSuccess: () => navigate('/upload', { replace: true }) }),
      },
    );
  };

  return (
    <AuthFrame title="Create your account">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {error && (
            <Alert
              color="red"
              icon={<IconAlertCircle size={18} />}
              role="alert"
              data-testid="auth-error"
            >
              {authErrorText(error)}
            </Alert>
          )}
          <TextInput
            label="Full name"
            autoComplete="name"
            value={fullName}
            onChange={(e) => setFullName(e.currentTarget.value)}
          />
          <TextInput
            label="E-mail"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            description="At least 8 characters"
            autoComplete="new-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={tooShort ? 'Use at least 8 characters' : undefined}
          />
          <Button
            type="submit"
            loading={register.isPending || login.isPending}
            disabled={!email || password.length < 8}
          >
            Create account
          </Button>
          <Text size="sm" ta="center">
            Already have an account?{' '}
            <Anchor component={Link} to="/sign-in" underline="always">
              Sign in
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AuthFrame>
  );
}
