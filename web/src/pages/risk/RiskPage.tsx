import { Container, Grid, Stack } from '@mantine/core';
import { useFactorExposures } from '../../api/hooks/analytics.ts';
import { usePortfolios } from '../../api/hooks/portfolios.ts';
import { DataAsOf } from '../../components/DataAsOf.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { PageSkeleton } from '../../components/PageSkeleton.tsx';
import { PortfolioSwitcher } from '../../components/PortfolioSwitcher.tsx';
import { usePortfolioScope } from '../../components/usePortfolioScope.ts';
import { CorrelationCard } from './CorrelationCard.tsx';
import { CustomScenariosCard } from './CustomScenariosCard.tsx';
import { FactorExposuresCard } from './FactorExposuresCard.tsx';
import {
  BetaComparisonCard,
  ConcentrationCard,
  RiskMetricsCard,
  SectorCard,
  VolatilityCard,
} from './SmallRiskCards.tsx';
import { StressCard } from './StressCard.tsx';

/** Every risk analytic of one portfolio or of All accounts, each card on its own. */
export default function RiskPage() {
  const portfolios = usePortfolios();
  const [scope, setScope] = usePortfolioScope();
  const factors = useFactorExposures(scope);
  if (portfolios.isPending) return <PageSkeleton />;
  return (
    <Container size="xl" py="md">
      <PageHeader
        title="Risk"
        subtitle={<DataAsOf date={factors.data?.calculation_date} />}
        actions={
          <PortfolioSwitcher portfolios={portfolios.data ?? []} scope={scope} onChange={setScope} />
        }
      />
      <Stack gap="md">
        <FactorExposuresCard scope={scope} />
        <Grid gap="md">
          <Grid.Col span={{ base: 12, lg: 8 }}>
            <StressCard scope={scope} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <CustomScenariosCard />
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 7 }}>
            <CorrelationCard scope={scope} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <Stack gap="md">
              <VolatilityCard scope={scope} />
              <RiskMetricsCard scope={scope} />
              <ConcentrationCard scope={scope} />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <SectorCard scope={scope} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <BetaComparisonCard scope={scope} />
          </Grid.Col>
        </Grid>
      </Stack>
    </Container>
  );
}
