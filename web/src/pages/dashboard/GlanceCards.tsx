import { Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import {
  useConcentration,
  useFactorExposures,
  useSectorExposure,
  useStressTest,
  useVolatility,
} from '../../api/hooks/analytics.ts';
import type { PortfolioScope } from '../../api/hooks/scope.ts';
import { CompactMoney, Num } from '../../components/numbers.tsx';
import { QueryCard } from '../../components/QueryCard.tsx';
import { Stat } from '../../components/Stat.tsx';
import { topFactorBetas } from '../../lib/factors.ts';
import {
  formatBeta,
  formatPercent,
  formatPp,
  formatSignedMoney,
  formatSignedPercentValue,
} from '../../lib/format.ts';
import { worstScenario } from '../../lib/stress.ts';

/** Market betas (90D, 1Y) and the three largest factor betas. */
export function BetasCard({ scope }: { scope: PortfolioScope }) {
  const query = useFactorExposures(scope);
  return (
    <QueryCard title="Factor betas" testId="betas-card" query={query}>
      {(data) => {
        const byName = new Map(data.factors.map((f) => [f.name, f]));
        const top = topFactorBetas(data.factors);
        return (
          <Stack gap="sm">
            <SimpleGrid cols={2}>
              <Stat
                label="Beta 90D"
                value={formatBeta(byName.get('Market Beta (90D)')?.beta)}
                testId="beta-90d"
              />
              <Stat
                label="Beta 1Y"
                value={formatBeta(byName.get('Provider Beta (1Y)')?.beta)}
                testId="beta-1y"
              />
            </SimpleGrid>
            <Stack gap={4} data-testid="top-factors">
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                Largest factor betas
              </Text>
              {top.map((f) => (
                <Group key={f.name} justify="space-between" wrap="nowrap" data-testid="top-factor">
                  <Text size="sm" truncate data-testid="top-factor-name">
                    {f.name}
                  </Text>
                  <Group gap="sm" wrap="nowrap">
                    <CompactMoney value={f.exposure_dollar} size="xs" c="dimmed" />
                    <Text size="sm" fw={650} className="bb-num" data-testid="top-factor-beta">
                      {formatBeta(f.beta)}
                    </Text>
                  </Group>
                </Group>
              ))}
            </Stack>
          </Stack>
        );
      }}
    </QueryCard>
  );
}

/** Realized volatility 21d / 63d and the forecast. */
export function VolatilityGlanceCard({ scope }: { scope: PortfolioScope }) {
  const query = useVolatility(scope);
  return (
    <QueryCard title="Volatility" testId="volatility-glance" query={query}>
      {({ data }) => (
        <SimpleGrid cols={3}>
          <Stat label="21 day" value={formatPercent(data.realized_volatility_21d)} />
          <Stat label="63 day" value={formatPercent(data.realized_volatility_63d)} />
          <Stat
            label="Forecast"
            value={formatPercent(data.expected_volatility_21d)}
            sub="next 21 days"
          />
        </SimpleGrid>
      )}
    </QueryCard>
  );
}

/** The largest position and the most overweight sector. */
export function ConcentrationGlanceCard({ scope }: { scope: PortfolioScope }) {
  const concentration = useConcentration(scope);
  const sectors = useSectorExposure(scope);
  return (
    <QueryCard
      title="Largest position and sector"
      testId="concentration-glance"
      query={concentration}
    >
      {({ data }) => {
        const largest = data.top_positions[0];
        const weights = sectors.data?.available ? sectors.data.data.portfolio_weights : {};
        const top = Object.entries(weights).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))[0];
        const diff = top ? sectors.data?.data.over_underweight[top[0]] : undefined;
        return (
          <SimpleGrid cols={2}>
            <Stat
              label="Largest position"
              small
              value={
                largest ? (
                  <Text
                    component={Link}
                    to={`/symbols/${encodeURIComponent(largest.symbol)}`}
                    inherit
                    c="var(--mantine-color-anchor)"
                  >
                    {largest.symbol}
                  </Text>
                ) : (
                  '—'
                )
              }
              sub={largest ? `${formatPercent(largest.weight)} of gross` : undefined}
            />
            <Stat
              label="Top sector"
              small
              value={top ? top[0] : '—'}
              sub={
                top ? `${formatPercent(top[1])} of NAV · ${formatPp(diff)} vs S&P 500` : undefined
              }
            />
          </SimpleGrid>
        );
      }}
    </QueryCard>
  );
}

/** The worst stress scenario's correlated loss. */
export function WorstStressCard({ scope }: { scope: PortfolioScope }) {
  const query = useStressTest(scope);
  return (
    <QueryCard title="Worst stress scenario" testId="worst-stress" query={query}>
      {({ data }) => {
        const worst = worstScenario(data.scenarios);
        if (!worst) return <Text size="sm">No scenarios were calculated.</Text>;
        return (
          <Stack gap={4}>
            <Text size="sm" fw={600} data-testid="worst-stress-name">
              {worst.name}
            </Text>
            <Group gap="sm" align="baseline">
              <Num
                value={worst.impact.dollar_impact}
                text={formatSignedMoney(worst.impact.dollar_impact)}
                colored
                fz="xl"
                fw={700}
                data-testid="worst-stress-loss"
              />
              <Num
                value={worst.impact.percentage_impact}
                text={formatSignedPercentValue(worst.impact.percentage_impact)}
                colored
                size="sm"
              />
            </Group>
            <Text size="xs" c="dimmed">
              Correlated impact across {data.scenarios.length} scenarios ·{' '}
              <Text
                component={Link}
                to="/risk"
                inherit
                c="var(--mantine-color-anchor)"
                className="bb-inline-link"
              >
                see all
              </Text>
            </Text>
          </Stack>
        );
      }}
    </QueryCard>
  );
}
