import {
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useStressTest } from '../../api/hooks/analytics.ts';
import type { PortfolioScope } from '../../api/hooks/scope.ts';
import type { StressScenario } from '../../api/types.ts';
import { PHONE_QUERY } from '../../components/DataTable.tsx';
import { Num } from '../../components/numbers.tsx';
import { QueryCard } from '../../components/QueryCard.tsx';
import { Tag, type Tone } from '../../components/Tag.tsx';
import { Stat } from '../../components/Stat.tsx';
import {
  formatDate,
  formatMoney,
  formatSignedMoney,
  formatSignedPercent,
  formatSignedPercentValue,
} from '../../lib/format.ts';
import { exclusionInWords } from '../../lib/reasons.ts';
import { bestScenario, worstScenario } from '../../lib/stress.ts';

const SEVERITY_TONE: Record<string, Tone> = {
  mild: 'neutral',
  moderate: 'warn',
  severe: 'alert',
  extreme: 'bad',
};
const SEVERITY_ORDER = ['mild', 'moderate', 'severe', 'extreme'];
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** A yield change as basis points: −0.0081 → "−81 bp". */
const formatYieldChange = (dy: number | null) =>
  dy === null ? '—' : `${dy > 0 ? '+' : dy < 0 ? '−' : ''}${Math.abs(Math.round(dy * 10_000))} bp`;

function Impact({ s }: { s: StressScenario }) {
  return (
    <Stack gap={0} align="flex-end">
      <Num
        value={s.impact.dollar_impact}
        text={formatSignedMoney(s.impact.dollar_impact)}
        colored
        fw={650}
      />
      <Num
        value={s.impact.percentage_impact}
        text={formatSignedPercentValue(s.impact.percentage_impact)}
        colored
        size="xs"
      />
    </Stack>
  );
}

function Chips({ s }: { s: StressScenario }) {
  return (
    <Group gap={4} wrap="wrap">
      {s.custom && (
        <Tag size="xs" tone="custom">
          Custom
        </Tag>
      )}
      {!s.custom && (
        <Tag size="xs" tone="neutral">
          {s.category}
        </Tag>
      )}
      <Tag size="xs" tone={SEVERITY_TONE[s.severity] ?? 'neutral'}>
        {s.severity}
      </Tag>
    </Group>
  );
}

/** A scenario's breakdown: factor moves (shocked vs conditional) and P&L, largest positions. */
function ScenarioDetail({ s }: { s: StressScenario }) {
  const positions = [...s.position_impacts]
    .sort((a, b) => Math.abs(b.pnl_correlated) - Math.abs(a.pnl_correlated))
    .slice(0, 10);
  return (
    <Stack gap="md">
      {s.description && <Text size="sm">{s.description}</Text>}
      <Chips s={s} />
      {s.window && (
        <Text size="sm">
          Replay window: {formatDate(s.window.start)} – {formatDate(s.window.end)}
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, xs: 3 }}>
        <Stat label="Correlated impact" value={<Impact s={s} />} />
        <Stat
          label="Direct"
          value={<Num value={s.direct_pnl} text={formatSignedMoney(s.direct_pnl)} colored />}
        />
        <Stat
          label="Correlation effect"
          value={
            <Num
              value={s.correlation_effect}
              text={formatSignedMoney(s.correlation_effect)}
              colored
            />
          }
        />
      </SimpleGrid>
      <div>
        <Text fw={650} size="sm" mb={4}>
          Factor moves and P&L
        </Text>
        <Table.ScrollContainer minWidth={520}>
          <Table fz="sm" verticalSpacing={4} striped aria-label="Factor moves and P&L">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Factor</Table.Th>
                <Table.Th ta="right">Move (shocked)</Table.Th>
                <Table.Th ta="right">Move (conditional)</Table.Th>
                <Table.Th ta="right">P&L direct</Table.Th>
                <Table.Th ta="right">P&L correlated</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.factor_impacts.map((f) => (
                <Table.Tr key={f.factor}>
                  <Table.Td>
                    {f.factor}
                    {(f.series ?? f.etf) ? ` (${f.series ?? f.etf})` : ''}{' '}
                    {f.shocked && (
                      <Tag size="xs" tone="info">
                        shocked
                      </Tag>
                    )}
                  </Table.Td>
                  <Table.Td ta="right" className="bb-num">
                    {f.shocked ? formatSignedPercent(f.move_direct) : '—'}
                    {f.shocked && f.yield_change_direct !== null && (
                      <Text span size="xs" c="dimmed" display="block">
                        yield {formatYieldChange(f.yield_change_direct)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right" className="bb-num">
                    {formatSignedPercent(f.move_correlated)}
                    {f.yield_change_correlated !== null && (
                      <Text span size="xs" c="dimmed" display="block">
                        yield {formatYieldChange(f.yield_change_correlated)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">
                    <Num value={f.pnl_direct} text={formatSignedMoney(f.pnl_direct)} colored />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Num
                      value={f.pnl_correlated}
                      text={formatSignedMoney(f.pnl_correlated)}
                      colored
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </div>
      <div>
        <Text fw={650} size="sm" mb={4}>
          Largest position impacts
        </Text>
        <Table fz="sm" verticalSpacing={4} striped aria-label="Largest position impacts">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Position</Table.Th>
              <Table.Th ta="right">P&L</Table.Th>
              <Table.Th ta="right">Return</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {positions.map((p) => (
              <Table.Tr key={p.position_id}>
                <Table.Td>{p.symbol}</Table.Td>
                <Table.Td ta="right">
                  <Num
                    value={p.pnl_correlated}
                    text={formatSignedMoney(p.pnl_correlated)}
                    colored
                  />
                </Table.Td>
                <Table.Td ta="right">
                  <Num
                    value={p.return_correlated}
                    text={formatSignedPercent(p.return_correlated)}
                    colored
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
    </Stack>
  );
}

/**
 * Stress scenarios: correlated impact as the headline with direct and correlation effect beside,
 * worst first, filters by category and severity, a summary strip and a breakdown per scenario.
 */
export function StressCard({ scope }: { scope: PortfolioScope }) {
  const query = useStressTest(scope);
  const [category, setCategory] = useState<string | null>(null);
  const [severity, setSeverity] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const phone = useMediaQuery(PHONE_QUERY);
  const scenarios = useMemo(() => query.data?.data.scenarios ?? [], [query.data]);
  const categories = [...new Set(scenarios.map((s) => s.category))];
  const severities = SEVERITY_ORDER.filter((v) => scenarios.some((s) => s.severity === v));
  const shown = scenarios
    .filter((s) => (!category || s.category === category) && (!severity || s.severity === severity))
    .sort((a, b) => a.impact.dollar_impact - b.impact.dollar_impact);
  const open = scenarios.find((s) => s.id === openId) ?? null;

  return (
    <QueryCard
      title="Stress tests"
      testId="stress-card"
      query={query}
      skeletonHeight={320}
      actions={
        <Group gap="xs">
          <Select
            size="xs"
            placeholder="All categories"
            aria-label="Filter by category"
            data={categories.map((c) => ({ value: c, label: capitalize(c) }))}
            value={category}
            onChange={setCategory}
            clearable
            w={150}
          />
          <Select
            size="xs"
            placeholder="All severities"
            aria-label="Filter by severity"
            data={severities.map((c) => ({ value: c, label: capitalize(c) }))}
            value={severity}
            onChange={setSeverity}
            clearable
            w={140}
          />
        </Group>
      }
    >
      {(data) => {
        const worst = worstScenario(data.data.scenarios);
        const best = bestScenario(data.data.scenarios);
        return (
          <Stack gap="md">
            <SimpleGrid cols={{ base: 1, xs: 3 }} data-testid="stress-summary">
              <Stat
                label="Worst"
                value={
                  worst ? (
                    <Num
                      value={worst.impact.dollar_impact}
                      text={formatSignedMoney(worst.impact.dollar_impact)}
                      colored
                    />
                  ) : (
                    '—'
                  )
                }
                sub={worst?.name}
              />
              <Stat
                label="Best"
                value={
                  best ? (
                    <Num
                      value={best.impact.dollar_impact}
                      text={formatSignedMoney(best.impact.dollar_impact)}
                      colored
                    />
                  ) : (
                    '—'
                  )
                }
                sub={best?.name}
              />
              <Stat
                label="Scenarios tested"
                value={data.data.scenarios.length}
                sub={`on ${formatMoney(data.data.portfolio_value)} of NAV`}
              />
            </SimpleGrid>
            {data.data.unavailable_scenarios.length > 0 && (
              <Text size="xs" c="dimmed" data-testid="stress-unavailable">
                Not evaluated (no market history stored for their window):{' '}
                {data.data.unavailable_scenarios.map((u) => u.name).join(', ')}.
              </Text>
            )}
            {phone ? (
              <Stack gap="xs">
                {shown.map((s) => (
                  <UnstyledButton
                    key={s.id}
                    onClick={() => setOpenId(s.id)}
                    p="xs"
                    style={{
                      border: '1px solid var(--mantine-color-default-border)',
                      borderRadius: 8,
                    }}
                    data-testid="stress-row"
                  >
                    <Group justify="space-between" wrap="nowrap" align="flex-start">
                      <Stack gap={4} style={{ minWidth: 0 }}>
                        <Text size="sm" fw={600}>
                          {s.name}
                        </Text>
                        <Chips s={s} />
                      </Stack>
                      <Impact s={s} />
                    </Group>
                  </UnstyledButton>
                ))}
              </Stack>
            ) : (
              <div
                className="bb-table-wrap"
                style={{ maxHeight: 560 }}
                tabIndex={0}
                role="region"
                aria-label="Stress scenarios"
              >
                <Table
                  fz="sm"
                  verticalSpacing={6}
                  striped
                  highlightOnHover
                  aria-label="Stress scenarios"
                >
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Scenario</Table.Th>
                      <Table.Th ta="right">Correlated impact</Table.Th>
                      <Table.Th ta="right">Direct</Table.Th>
                      <Table.Th ta="right">Correlation effect</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {shown.map((s) => (
                      <Table.Tr key={s.id} data-testid="stress-row">
                        <Table.Td>
                          <UnstyledButton
                            onClick={() => setOpenId(s.id)}
                            aria-label={`Breakdown of ${s.name}`}
                          >
                            <Text size="sm" fw={600} c="var(--mantine-color-anchor)">
                              {s.name}
                            </Text>
                          </UnstyledButton>
                          <Chips s={s} />
                        </Table.Td>
                        <Table.Td ta="right">
                          <Impact s={s} />
                        </Table.Td>
                        <Table.Td ta="right">
                          <Num
                            value={s.direct_pnl}
                            text={formatSignedMoney(s.direct_pnl)}
                            colored
                          />
                        </Table.Td>
                        <Table.Td ta="right">
                          <Num
                            value={s.correlation_effect}
                            text={formatSignedMoney(s.correlation_effect)}
                            colored
                          />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </div>
            )}
            {data.data.excluded_positions.length > 0 && (
              <Text size="xs" c="dimmed">
                Left out:{' '}
                {data.data.excluded_positions
                  .map((p) => `${p.symbol} (${exclusionInWords(p.reason)})`)
                  .join('; ')}
              </Text>
            )}
            <Modal
              opened={open !== null}
              onClose={() => setOpenId(null)}
              title={<Text fw={700}>{open?.name}</Text>}
              size="xl"
              fullScreen={Boolean(phone)}
            >
              {open && <ScenarioDetail s={open} />}
            </Modal>
          </Stack>
        );
      }}
    </QueryCard>
  );
}
