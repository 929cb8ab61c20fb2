import { Button, Card, Container, Grid, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';
import { memo, useMemo } from 'react';
import { Link } from 'react-router';
import { useOverview } from '../../api/hooks/analytics.ts';
import { useHistory } from '../../api/hooks/portfolio-data.ts';
import { usePortfolios } from '../../api/hooks/portfolios.ts';
import { isAll } from '../../api/hooks/scope.ts';
import type { AggregatePortfolio } from '../../api/types.ts';
import { DataAsOf } from '../../components/DataAsOf.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { PageSkeleton } from '../../components/PageSkeleton.tsx';
import { PortfolioSwitcher } from '../../components/PortfolioSwitcher.tsx';
import { QueryCard } from '../../components/QueryCard.tsx';
import { usePortfolioScope } from '../../components/usePortfolioScope.ts';
import { formatDate, formatMoney, formatPercent } from '../../lib/format.ts';
import { AggregateNotices, PortfolioDataNotices } from './DataQualityNotices.tsx';
import { EquityChangesCard } from './EquityChangesCard.tsx';
import {
  BetasCard,
  ConcentrationGlanceCard,
  VolatilityGlanceCard,
  WorstStressCard,
} from './GlanceCards.tsx';
import { HeroCard } from './HeroCard.tsx';
import { HistoryCard } from './HistoryCard.tsx';
import { HoldingsCard } from './HoldingsCard.tsx';
import { ManagePositionsCard } from './manage/ManagePositionsCard.tsx';
import { RecalculationBanner } from './manage/RecalculationBanner.tsx';

// The page holds the overview and history queries; each of its many answers re-renders the
// page. Memoised cards re-render only when their own props change (their data hooks still
// re-render them when their own answers arrive), so the holdings table is not rebuilt for
// every other card's answer.
const Hero = memo(HeroCard);
const History = memo(HistoryCard);
const Holdings = memo(HoldingsCard);
const Betas = memo(BetasCard);
const WorstStress = memo(WorstStressCard);
const VolatilityGlance = memo(VolatilityGlanceCard);
const ConcentrationGlance = memo(ConcentrationGlanceCard);
const EquityChanges = memo(EquityChangesCard);
const DataNotices = memo(PortfolioDataNotices);
const ManagePositions = memo(ManagePositionsCard);

function IncludedPortfolios({ portfolios }: { portfolios: AggregatePortfolio[] }) {
  return (
    <Card data-testid="included-portfolios">
      <Title order={2} size="h5" mb="sm">
        Portfolios included
      </Title>
      <Table fz="sm" verticalSpacing={4} aria-label="Portfolios included">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Portfolio</Table.Th>
            <Table.Th ta="right">NAV</Table.Th>
            <Table.Th ta="right">Weight</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {portfolios.map((p) => (
            <Table.Tr key={p.portfolio_id}>
              <Table.Td>
                <Text size="sm" truncate maw={180}>
                  {p.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {p.included ? formatDate(p.calculation_date) : 'not calculated'}
                </Text>
              </Table.Td>
              <Table.Td ta="right" className="bb-num">
                {formatMoney(p.net_asset_value)}
              </Table.Td>
              <Table.Td ta="right" className="bb-num">
                {formatPercent(p.weight)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

export default function DashboardPage() {
  const portfolios = usePortfolios();
  const [scope, setScope] = usePortfolioScope();
  const overview = useOverview(scope);
  const list = useMemo(() => portfolios.data ?? [], [portfolios.data]);
  const shown = useMemo(
    () => (isAll(scope) ? list : list.filter((p) => p.id === scope)),
    [list, scope],
  );
  const history = useHistory(shown.map((p) => p.id));

  if (portfolios.isPending) return <PageSkeleton />;
  if (portfolios.isError) {
    return (
      <Container size="xl" py="md">
        <QueryCard title="Portfolios" query={portfolios}>
          {() => null}
        </QueryCard>
      </Container>
    );
  }
  if (list.length === 0) {
    return (
      <Container size="sm" py="xl">
        <Stack align="flex-start">
          <Title order={1} size="h2">
            No portfolios yet
          </Title>
          <Text c="dimmed">Upload a CSV of positions to see exposures, P&L and risk.</Text>
          <Button component={Link} to="/upload" leftSection={<IconUpload size={16} />}>
            Upload a portfolio
          </Button>
        </Stack>
      </Container>
    );
  }

  const aggregate = overview.data?.aggregate ? overview.data : null;
  const single = !isAll(scope) && shown[0] ? shown[0] : null;

  return (
    <Container size="xl" py="md">
      <PageHeader
        title="Dashboard"
        subtitle={<DataAsOf date={overview.data?.calculation_date} />}
        actions={<PortfolioSwitcher portfolios={list} scope={scope} onChange={setScope} />}
      />
      <Stack gap="md">
        {single && <RecalculationBanner portfolioId={single.id} />}
        {single && <DataNotices portfolioId={single.id} />}
        {aggregate && 'portfolios' in aggregate && (
          <AggregateNotices portfolios={aggregate.portfolios as AggregatePortfolio[]} />
        )}
        <Hero overview={overview} />
        <Grid gap="md">
          <Grid.Col span={{ base: 12, lg: 8 }}>
            <History history={history} portfolioCount={shown.length} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <Stack gap="md">
              <Betas scope={scope} />
              <WorstStress scope={scope} />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <VolatilityGlance scope={scope} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <ConcentrationGlance scope={scope} />
          </Grid.Col>
        </Grid>
        <Holdings portfolios={shown} nav={overview.data?.net_asset_value ?? null} />
        {single && <ManagePositions portfolioId={single.id} />}
        <Group align="flex-start" grow wrap="wrap" gap="md">
          {single && <EquityChanges portfolioId={single.id} />}
          {aggregate && 'portfolios' in aggregate && (
            <IncludedPortfolios portfolios={aggregate.portfolios as AggregatePortfolio[]} />
          )}
        </Group>
      </Stack>
    </Container>
  );
}
