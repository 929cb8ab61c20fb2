import { Text, Tooltip, type TextProps } from '@mantine/core';
import {
  formatMoney,
  formatMoneyCompact,
  formatSignedMoney,
  gainLossColor,
} from '../lib/format.ts';

type Maybe = number | null | undefined;

/** The class that colours a gain or a loss (only where the sign means one). */
export function gainLossClass(value: Maybe): string | undefined {
  const color = gainLossColor(value);
  return color === 'teal' ? 'bb-gain' : color === 'red' ? 'bb-loss' : undefined;
}

/** Compact money (`$1.23M`) with the full value in a tooltip and for screen readers. */
export function CompactMoney({
  value,
  signed = false,
  colored = false,
  ...props
}: { value: Maybe; signed?: boolean; colored?: boolean } & TextProps) {
  const full = signed ? formatSignedMoney(value) : formatMoney(value);
  let compact = formatMoneyCompact(value);
  if (signed && typeof value === 'number' && value > 0) compact = `+${compact}`;
  return (
    <Tooltip label={full} disabled={compact === full}>
      <Text
        span
        className={['bb-num', colored ? gainLossClass(value) : undefined].filter(Boolean).join(' ')}
        aria-label={full}
        tabIndex={compact === full ? undefined : 0}
        {...props}
      >
        {compact}
      </Text>
    </Tooltip>
  );
}

/** A formatted number, coloured by sign when `colored`. */
export function Num({
  value,
  text,
  colored = false,
  ...props
}: { value: Maybe; text: string; colored?: boolean } & TextProps) {
  return (
    <Text
      span
      className={['bb-num', colored ? gainLossClass(value) : undefined].filter(Boolean).join(' ')}
      {...props}
    >
      {text}
    </Text>
  );
}
