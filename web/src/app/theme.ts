import { createTheme, type CSSVariablesResolver } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  // Shade 8 (#1971c2) keeps white-on-blue buttons and blue links above 4.5:1 contrast.
  primaryShade: { light: 8, dark: 8 },
  autoContrast: true,
  defaultRadius: 'md',
  fontFamily:
    'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  headings: { fontWeight: '650' },
  components: {
    Card: { defaultProps: { withBorder: true, padding: 'md', radius: 'md' } },
    Tooltip: { defaultProps: { withArrow: true, openDelay: 150 } },
    // Mantine's close buttons are icons without a name (axe: button-name).
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
    Notification: { defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss' } } },
  },
});

/**
 * Secondary text one shade darker than Mantine's default in light mode, and the colours of
 * gains and losses: the defaults (gray 6, teal 6, red 6) fall below 4.5:1 on white.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--bb-gain': 'var(--mantine-color-teal-9)',
    '--bb-loss': 'var(--mantine-color-red-9)',
    '--bb-warn': 'var(--mantine-color-orange-9)',
    '--bb-surface-muted': 'var(--mantine-color-gray-0)',
    // Links on a tinted (light blue) notice: blue 8 is under 4.5:1 there.
    '--bb-link-on-tint': 'var(--mantine-color-blue-9)',
  },
  dark: {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    '--bb-gain': 'var(--mantine-color-teal-4)',
    '--bb-loss': 'var(--mantine-color-red-4)',
    '--bb-warn': 'var(--mantine-color-yellow-4)',
    '--bb-surface-muted': 'var(--mantine-color-dark-6)',
    '--bb-link-on-tint': 'var(--mantine-color-blue-2)',
  },
});
