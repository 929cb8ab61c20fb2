import { Box, Group, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import {
  useFactorExposures,
  useSpreadFactors,
  type FactorExposure,
} from '../../api/hooks/analytics.ts';
import { isAll, type PortfolioScope } from '../../api/hooks/scope.ts';
import { CompactMoney } from '../../components/numbers.tsx';
import { QueryCard } from '../../components/QueryCard.tsx';
import { factorGroupOf, type FactorGroup } from '../../lib/factors.ts';
import { formatBeta } from '../../lib/format.ts';

const GROUPS: { id: FactorGroup; title: string }[] = [
  { id: 'market', title: 'Market' },
  { id: 'style', title: 'Style' },
  { id: 'spread', title: 'Spreads' },
];

/** Words for a spread beta, by the API's thresholds (|β| < 0.10 neutral … ≥ 0.60 strong). */
function magnitudeOf(beta: number | null): string | null {
  if (beta === null) return null;
  const a = Math.abs(beta);
  return a < 0.1 ? 'negligible' : a < 0.3 ? 'weak' : a < 0.6 ? 'moderate' : 'strong';
}

/** One factor: name, a bar from zero (left negative, right positive), beta and dollars. */
function FactorBar({
  factor,
  scale,
  words,
}: {
  factor: FactorExposure;
  scale: number;
  words?: string | null;
}) {
  const beta = factor.beta ?? 0;
  const width = Math.min(50, (Math.abs(beta) / scale) * 50);
  return (
    <Box data-testid="factor-row">
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="sm" truncate>
          {factor.name}
        </Text>
        <Group gap="sm" wrap="nowrap">
          <CompactMoney value={factor.exposure_dollar} size="xs" c="dimmed" />
          <Text size="sm" fw={650} className="bb-num" miw={42} ta="right">
            {formatBeta(factor.beta)}
          </Text>
        </Group>
      </Group>
      <Box
        pos="relative"
        h={8}
        mt={2}
        style={{ background: 'var(--bb-surface-muted)', borderRadius: 4 }}
        aria-hidden
      >
        <Box
          pos="absolute"
          top={0}
          bottom={0}
          left={beta < 0 ? `${50 - width}%` : '50%'}
          w={`${width}%`}
          style={{
            background: beta < 0 ? 'var(--mantine-color-orange-6)' : 'var(--mantine-color-blue-6)',
            borderRadius: 4,
          }}
        />
        <Box
          pos="absolute"
          top={-2}
          bottom={-2}
          left="50%"
          w={1}
          bg="var(--mantine-color-default-border)"
        />
      </Box>
      {words && (
        <Text size="xs" c="dimmed" mt={2}>
          {words}
        </Text>
      )}
    </Box>
  );
}

/** The 13 factor betas in three groups, as bars with the dollar exposure beside. */
export function FactorExposuresCard({ scope }: { scope: PortfolioScope }) {
  const query = useFactorExposures(scope);
  const spreads = useSpreadFactors(isAll(scope) ? null : scope);
  return (
    <QueryCard
      title="Factor exposures"
      testId="factor-exposures"
      query={query}
      skeletonHeight={260}
    >
      {(data) => {
        const scale = Math.max(1, ...data.factors.map((f) => Math.abs(f.beta ?? 0)));
        const spreadInfo = new Map((spreads.data?.factors ?? []).map((f) => [f.name, f]));
        return (
          <SimpleGrid cols={{ base: 1, md: 3 }} spacing="lg">
            {GROUPS.map((group) => (
              <Stack key={group.id} gap="sm" data-testid={`factor-group-${group.id}`}>
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                  {group.title}
                </Text>
                {data.factors
                  .filter((f) => factorGroupOf(f.name) === group.id)
                  .map((f) => {
                    const info = spreadInfo.get(f.name);
                    const words =
                      group.id === 'spread'
                        ? info
                          ? `${info.magnitude ?? ''} ${info.direction && info.direction !== 'neutral' ? `· toward ${info.direction.replace(/_/g, ' ')}` : ''}`.trim()
                          : magnitudeOf(f.beta)
                        : null;
                    return info ? (
                      <Tooltip key={f.name} label={info.explanation} multiline w={300}>
                        <div>
                          <FactorBar factor={f} scale={scale} words={words} />
                        </div>
                      </Tooltip>
                    ) : (
                      <FactorBar key={f.name} factor={f} scale={scale} words={words} />
                    );
                  })}
              </Stack>
            ))}
          </SimpleGrid>
        );
      }}
    </QueryCard>
  );
}
