import { Badge, type BadgeProps } from '@mantine/core';

/** What a tag says about its subject; each tone has one colour everywhere. */
export type Tone = 'neutral' | 'info' | 'good' | 'warn' | 'alert' | 'bad' | 'custom';

/**
 * Filled shades dark enough for white text (or light enough for the black text Mantine's
 * autoContrast then picks) to pass 4.5:1 in both themes; Mantine's "light" badges do not.
 */
const TONE_COLOR: Record<Tone, string> = {
  neutral: 'gray.7',
  info: 'blue.8',
  good: 'teal.9',
  warn: 'yellow.4',
  alert: 'orange.4',
  bad: 'red.9',
  custom: 'violet.8',
};

export function Tag({ tone, ...props }: { tone: Tone } & Omit<BadgeProps, 'color' | 'variant'>) {
  return <Badge variant="filled" autoContrast color={TONE_COLOR[tone]} {...props} />;
}
