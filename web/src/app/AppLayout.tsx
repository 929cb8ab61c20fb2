import {
  AppShell,
  Avatar,
  Burger,
  Group,
  Menu,
  Text,
  UnstyledButton,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconChartLine,
  IconLogout,
  IconMoon,
  IconSettings,
  IconShieldHalf,
  IconSun,
  IconUpload,
  IconGauge,
} from '@tabler/icons-react';
import { Suspense } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useLogout, useMe } from '../api/hooks/auth.ts';
import { PageSkeleton } from '../components/PageSkeleton.tsx';
import classes from './AppLayout.module.css';

const NAV = [
  { to: '/dashboard', label: 'Dashboard', icon: IconGauge },
  { to: '/risk', label: 'Risk', icon: IconChartLine },
  { to: '/upload', label: 'Upload', icon: IconUpload },
];

function Logo() {
  return (
    <Group gap={8} wrap="nowrap">
      <svg width="26" height="26" viewBox="0 0 32 32" aria-hidden>
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
      <Text fw={750} size="lg">
        Betaboard
      </Text>
    </Group>
  );
}

/** The signed-in frame: header navigation, account menu (theme, sign out), the page. */
export default function AppLayout() {
  const me = useMe();
  const logout = useLogout();
  const navigate = useNavigate();
  const [opened, { toggle, close }] = useDisclosure(false);
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  const isAdmin = me.data?.role === 'admin';
  const links = isAdmin ? [...NAV, { to: '/admin', label: 'Admin', icon: IconShieldHalf }] : NAV;

  const signOut = () => {
    logout.mutate(undefined, { onSettled: () => navigate('/sign-in', { replace: true }) });
  };

  const navLinks = links.map(({ to, label, icon: Icon }) => (
    <NavLink key={to} to={to} className={classes.link} onClick={close}>
      <Icon size={17} aria-hidden />
      <span>{label}</span>
    </NavLink>
  ));

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { desktop: true, mobile: !opened } }}
      padding={0}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="lg" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
            />
            <NavLink to="/dashboard" className={classes.brand} aria-label="Betaboard home">
              <Logo />
            </NavLink>
            <Group component="nav" gap={4} visibleFrom="sm" aria-label="Main">
              {navLinks}
            </Group>
          </Group>
          <Menu position="bottom-end" width={240} withinPortal>
            <Menu.Target>
              <UnstyledButton aria-label="Account menu" className={classes.account}>
                <Avatar size={30} radius="xl" color="blue">
                  {(me.data?.full_name ?? me.data?.email ?? '?').slice(0, 1).toUpperCase()}
                </Avatar>
              </UnstyledButton>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>
                <Text size="sm" fw={600} c="var(--mantine-color-text)" truncate>
                  {me.data?.full_name ?? me.data?.email}
                </Text>
                <Text size="xs" c="dimmed" truncate>
                  {me.data?.email}
                  {isAdmin ? ' · admin' : ''}
                </Text>
              </Menu.Label>
              <Menu.Divider />
              <Menu.Item
                leftSection={scheme === 'dark' ? <IconSun size={16} /> : <IconMoon size={16} />}
                onClick={() => setColorScheme(scheme === 'dark' ? 'light' : 'dark')}
              >
                {scheme === 'dark' ? 'Light theme' : 'Dark theme'}
              </Menu.Item>
              {isAdmin && (
                <Menu.Item
                  leftSection={<IconSettings size={16} />}
                  onClick={() => navigate('/admin')}
                >
                  Admin
                </Menu.Item>
              )}
              <Menu.Item leftSection={<IconLogout size={16} />} onClick={signOut} color="red">
                Sign out
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" component="nav" aria-label="Main (mobile)">
        {navLinks}
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<PageSkeleton />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
