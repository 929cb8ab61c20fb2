import { Divider, SimpleGrid, Stack, Text } from '@mantine/core';
import type { useOverview } from '../../api/hooks/analytics.ts';
import { CompactMoney, Num } from '../../components/numbers.tsx';
import { QueryCard } from '../../components/QueryCard.tsx';
import { Stat } from '../../components/Stat.tsx';
import {
  formatMoney,
  formatMultiple,
  formatPercentValue,
  formatSignedMoney,
} from '../../lib/format.ts';

type OverviewQuery = ReturnType<typeof useOverview>;

/** NAV, cash or margin, leverage, exposures ($ and % of NAV) and P&L. */
export function HeroCard({ overview }: { overview: OverviewQuery }) {
  return (
    <QueryCard title="Portfolio overview" testId="hero-card" query={overview} skeletonHeight={150}>
      {(o) => {
        const cash = o.cash_balance ?? 0;
        const e = o.exposures;
        const exposure = (label: string, value: number | null, pct: number | null, id: string) => (
          <Stat
            label={label}
            testId={`exposure-${id}`}
            value={<CompactMoney value={value} />}
            sub={`${formatPercentValue(pct)} of NAV`}
          />
        );
        const pnl = (label: string, value: number | null, id: string) => (
          <Stat
            label={label}
            testId={`pnl-${id}`}
            value={<CompactMoney value={value} signed colored />}
          />
        );
        return (
          <Stack gap="md">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="md">
              <Stack gap={2} data-testid="nav">
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                  Net asset value
                </Text>
                <Text fz={{ base: 22, sm: 28 }} fw={750} className="bb-num" data-testid="nav-value">
                  {formatMoney(o.net_asset_value)}
                </Text>
              </Stack>
              <SimpleGrid cols={3} spacing="md">
                <Stat
                  label={cash < 0 ? 'Margin' : 'Cash'}
                  testId="cash"
                  value={<CompactMoney value={cash < 0 ? -cash : cash} />}
                  sub={cash < 0 ? 'borrowed' : undefined}
                />
                <Stat
                  label="Leverage"
                  testId="leverage"
                  value={formatMultiple(o.leverage)}
                  sub="gross / NAV"
                />
                <Stat
                  label="Positions"
                  value={o.position_count.total_positions}
                  sub={`${o.position_count.long_count} long · ${o.position_count.short_count} short · ${o.position_count.option_count} options`}
                />
              </SimpleGrid>
            </SimpleGrid>
            <Divider />
            <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
              {exposure('Long', e.long_exposure, e.long_percentage, 'long')}
              {exposure('Short', e.short_exposure, e.short_percentage, 'short')}
              {exposure('Gross', e.gross_exposure, e.gross_percentage, 'gross')}
              {exposure('Net', e.net_exposure, e.net_percentage, 'net')}
            </SimpleGrid>
            <Divider />
            <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="md">
              {pnl('P&L today', o.pnl.daily_pnl, 'today')}
              {pnl('P&L MTD', o.pnl.mtd_pnl, 'mtd')}
              {pnl('P&L YTD', o.pnl.ytd_pnl, 'ytd')}
              {pnl('Unrealized', o.pnl.unrealized_pnl, 'unrealized')}
              {pnl('Realized', o.pnl.realized_pnl, 'realized')}
            </SimpleGrid>
            <Text size="xs" c="dimmed">
              Total P&L since the first calculation:{' '}
              <Num value={o.pnl.total_pnl} text={formatSignedMoney(o.pnl.total_pnl)} colored />
            </Text>
          </Stack>
        );
      }}
    </QueryCard>
  );
}
