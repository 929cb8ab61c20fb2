import { Group, Select, Stack, Text, type ComboboxItem, type SelectProps } from '@mantine/core';
import { useEffect, useMemo } from 'react';
import type { PortfolioSummary } from '../api/types.ts';
import { accountTypeLabel } from '../lib/account-types.ts';
import { formatInteger, formatMoneyCompact } from '../lib/format.ts';
import type { PortfolioScope } from '../api/hooks/scope.ts';

interface Option extends ComboboxItem {
  sub: string;
  nav: string;
}

/**
 * All accounts first, then each portfolio by name with account name and type, NAV and
 * position count.
 */
export function PortfolioSwitcher({
  portfolios,
  scope,
  onChange,
}: {
  portfolios: PortfolioSummary[];
  scope: PortfolioScope;
  onChange: (scope: PortfolioScope) => void;
}) {
  const options = useMemo<Option[]>(() => {
    const total = portfolios.reduce((sum, p) => sum + (p.net_asset_value ?? 0), 0);
    return [
      {
        value: 'all',
        label: 'All accounts',
        sub: `${portfolios.length} portfolio${portfolios.length === 1 ? '' : 's'}`,
        nav: formatMoneyCompact(total),
      },
      ...portfolios.map((p) => ({
        value: p.id,
        label: p.name,
        sub: `${p.account_name} · ${accountTypeLabel(p.account_type)} · ${formatInteger(p.position_count)} positions`,
        nav: formatMoneyCompact(p.net_asset_value),
      })),
    ];
  }, [portfolios]);

  const known = options.some((o) => o.value === scope);
  // A stale id (deleted portfolio, another user's link) falls back to All accounts.
  useEffect(() => {
    if (!known) onChange('all');
  }, [known, onChange]);

  const renderOption: SelectProps['renderOption'] = ({ option }) => {
    const o = option as Option;
    return (
      <Group justify="space-between" wrap="nowrap" w="100%" gap="sm">
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Text size="sm" fw={600} truncate>
            {o.label}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {o.sub}
          </Text>
        </Stack>
        <Text size="sm" className="bb-num">
          {o.nav}
        </Text>
      </Group>
    );
  };

  return (
    <Select
      label="Portfolio"
      data={options}
      value={known ? scope : 'all'}
      onChange={(value) => value && onChange(value)}
      renderOption={renderOption}
      allowDeselect={false}
      checkIconPosition="right"
      w={{ base: '100%', sm: 340 }}
      comboboxProps={{ width: 'target', withinPortal: true }}
      maxDropdownHeight={420}
      data-testid="portfolio-switcher"
    />
  );
}
