import {
  Alert,
  Button,
  Container,
  Grid,
  Group,
  Modal,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  UnstyledButton,
  useComputedColorScheme,
} from '@mantine/core';
import { IconDownload, IconPlayerPlay } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Navigate } from 'react-router';
import { saveBlob } from '../../api/client.ts';
import { ApiError, messageOf } from '../../api/errors.ts';
import {
  fetchBatchRunLogs,
  useAdminMetrics,
  useBatchHistory,
  useBatchRun,
  useBatchSummary,
  useCacheHealth,
  useCurrentRuns,
  useRunBatch,
  type BatchHistoryFilters,
} from '../../api/hooks/admin.ts';
import { useMe } from '../../api/hooks/auth.ts';
import type { AdminMetrics, BatchRun } from '../../api/types.ts';
import { registerLineCharts } from '../../components/charts/line.ts';
import { registerBarCharts } from '../../components/charts/bar.ts';
import { EChart, type EChartOption } from '../../components/EChart.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryCard } from '../../components/QueryCard.tsx';
import { Tag, type Tone } from '../../components/Tag.tsx';
import { Stat } from '../../components/Stat.tsx';
import {
  formatDateTime,
  formatDecimal,
  formatDuration,
  formatInteger,
  formatPercent,
  formatPercentValue,
  formatShortDate,
} from '../../lib/format.ts';
import { PhaseList } from '../progress/PhaseList.tsx';

registerLineCharts();
registerBarCharts();

const STATUS_TONE: Record<string, Tone> = {
  queued: 'neutral',
  running: 'info',
  completed: 'good',
  partial: 'warn',
  failed: 'bad',
};
const JOB_LABEL: Record<string, string> = {
  symbol_batch: 'Symbol batch',
  portfolio_refresh: 'Portfolio refresh',
  onboarding: 'Onboarding',
  full_backfill: 'Backfill',
  admin_metrics: 'Admin metrics',
};

function StatusBadge({ status }: { status: string }) {
  return (
    <Tag size="sm" tone={STATUS_TONE[status] ?? 'neutral'}>
      {status}
    </Tag>
  );
}

function RunButtons() {
  const run = useRunBatch();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const start = (type: 'symbol_batch' | 'portfolio_refresh') =>
    run.mutate(type, {
      onSuccess: (r) => setMessage({ ok: true, text: `${JOB_LABEL[type]} ${r.status}.` }),
      onError: (error) =>
        setMessage({
          ok: false,
          text:
            error instanceof ApiError && error.status === 409
              ? `${JOB_LABEL[type]} is already running.`
              : messageOf(error),
        }),
    });
  return (
    <Stack gap="xs" align="flex-end">
      <Group gap="xs">
        <Button
          size="xs"
          leftSection={<IconPlayerPlay size={14} />}
          onClick={() => start('symbol_batch')}
          loading={run.isPending && run.variables === 'symbol_batch'}
        >
          Run symbol batch
        </Button>
        <Button
          size="xs"
          variant="default"
          leftSection={<IconPlayerPlay size={14} />}
          onClick={() => start('portfolio_refresh')}
          loading={run.isPending && run.variables === 'portfolio_refresh'}
        >
          Run portfolio refresh
        </Button>
      </Group>
      {message && (
        <Text
          size="sm"
          className={message.ok ? undefined : 'bb-warn'}
          role="status"
          data-testid="run-message"
        >
          {message.text}
        </Text>
      )}
    </Stack>
  );
}

function CurrentRunsCard() {
  const query = useCurrentRuns();
  return (
    <QueryCard title="Running jobs" testId="running-jobs" query={query}>
      {(data) =>
        data.runs.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing running. Queue depth {formatInteger(data.queue_depth)}.
          </Text>
        ) : (
          <Stack gap="sm">
            {data.runs.map((r) => (
              <Stack key={r.id} gap={4}>
                <Group justify="space-between">
                  <Text size="sm" fw={600}>
                    {JOB_LABEL[r.job_type] ?? r.job_type}
                  </Text>
                  <StatusBadge status={r.status} />
                </Group>
                <Progress
                  value={r.overall_progress.percent_complete}
                  aria-label={`${JOB_LABEL[r.job_type]} ${Math.round(r.overall_progress.percent_complete)}%`}
                />
                <Text size="xs" c="dimmed">
                  {r.overall_progress.current_phase_name ?? 'waiting'} ·{' '}
                  {formatDuration(r.elapsed_seconds)}
                </Text>
              </Stack>
            ))}
          </Stack>
        )
      }
    </QueryCard>
  );
}

function RunDetail({ id }: { id: string }) {
  const query = useBatchRun(id);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    try {
      const logs = await fetchBatchRunLogs(id);
      saveBlob(
        new Blob([JSON.stringify(logs, null, 2)], { type: 'application/json' }),
        `batch-run-${id}.json`,
      );
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <QueryCard title="Run" query={query}>
      {(run) => {
        const byType = new Map<string, number>();
        for (const e of run.error_summary.details)
          byType.set(e.code, (byType.get(e.code) ?? 0) + 1);
        return (
          <Stack gap="md">
            <Group justify="space-between">
              <Group gap="xs">
                <Text fw={600}>{JOB_LABEL[run.job_type] ?? run.job_type}</Text>
                <StatusBadge status={run.status} />
              </Group>
              <Button
                size="xs"
                variant="default"
                leftSection={<IconDownload size={14} />}
                onClick={() => void download()}
              >
                Download log
              </Button>
            </Group>
            <Text size="sm" c="dimmed">
              {formatDateTime(run.started_at)} · {formatDuration(run.duration_seconds)} · triggered
              by {run.triggered_by}
            </Text>
            <PhaseList phases={run.phases} />
            {run.error_summary.count > 0 && (
              <Alert color="red" title={`${run.error_summary.count} errors`}>
                <Stack gap={2}>
                  {[...byType.entries()].map(([code, n]) => (
                    <Text key={code} size="sm">
                      {code}: {n}
                    </Text>
                  ))}
                  {run.error_summary.details.slice(0, 10).map((e, i) => (
                    <Text key={i} size="xs" style={{ overflowWrap: 'anywhere' }}>
                      {e.symbol} — {e.message}
                    </Text>
                  ))}
                </Stack>
              </Alert>
            )}
            {error && <Alert color="red">{error}</Alert>}
          </Stack>
        );
      }}
    </QueryCard>
  );
}

function HistoryCard() {
  const [filters, setFilters] = useState<BatchHistoryFilters>({
    days: 7,
    status: null,
    jobType: null,
  });
  const [openId, setOpenId] = useState<string | null>(null);
  const history = useBatchHistory(filters);
  const summary = useBatchSummary(filters.days, filters.jobType);
  return (
    <Stack gap="md">
      <Group gap="xs" wrap="wrap">
        <Select
          size="xs"
          label="Period"
          data={[
            { value: '1', label: 'Last day' },
            { value: '7', label: 'Last 7 days' },
            { value: '30', label: 'Last 30 days' },
            { value: '90', label: 'Last 90 days' },
          ]}
          value={String(filters.days)}
          onChange={(v) => v && setFilters((f) => ({ ...f, days: Number(v) }))}
          allowDeselect={false}
          w={150}
        />
        <Select
          size="xs"
          label="Status"
          placeholder="Any"
          data={['queued', 'running', 'completed', 'partial', 'failed']}
          value={filters.status}
          onChange={(v) => setFilters((f) => ({ ...f, status: v as BatchRun['status'] | null }))}
          clearable
          w={130}
        />
        <Select
          size="xs"
          label="Type"
          placeholder="Any"
          data={Object.entries(JOB_LABEL).map(([value, label]) => ({ value, label }))}
          value={filters.jobType}
          onChange={(v) => setFilters((f) => ({ ...f, jobType: v as BatchRun['job_type'] | null }))}
          clearable
          w={170}
        />
      </Group>
      <QueryCard title="Summary" testId="batch-summary" query={summary}>
        {(s) => (
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 2, sm: 4 }}>
              <Stat label="Runs" value={formatInteger(s.total_runs)} />
              <Stat label="Success rate" value={formatPercentValue(s.success_rate_percent)} />
              <Stat label="Average duration" value={formatDuration(s.avg_duration_seconds)} />
              <Stat
                label="Last run"
                value={s.most_recent ? <StatusBadge status={s.most_recent.status} /> : '—'}
                sub={formatDateTime(s.most_recent?.started_at)}
              />
            </SimpleGrid>
            <Group gap="xs">
              {Object.entries(s.status_breakdown).map(([status, n]) => (
                <Tag key={status} tone={STATUS_TONE[status] ?? 'neutral'}>
                  {status}: {n}
                </Tag>
              ))}
            </Group>
          </Stack>
        )}
      </QueryCard>
      <QueryCard title="Runs" testId="batch-runs" query={history}>
        {(h) =>
          h.runs.length === 0 ? (
            <Text size="sm" c="dimmed">
              No runs in this period.
            </Text>
          ) : (
            <div
              className="bb-table-wrap"
              style={{ maxHeight: 480 }}
              tabIndex={0}
              role="region"
              aria-label="Batch runs"
            >
              <Table fz="sm" verticalSpacing={4} striped highlightOnHover aria-label="Batch runs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Job</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th visibleFrom="sm">Started</Table.Th>
                    <Table.Th ta="right">Duration</Table.Th>
                    <Table.Th ta="right" visibleFrom="sm">
                      Phases
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {h.runs.map((r) => (
                    <Table.Tr key={r.id} data-testid="batch-run-row">
                      <Table.Td>
                        <UnstyledButton onClick={() => setOpenId(r.id)}>
                          <Text size="sm" fw={600} c="var(--mantine-color-anchor)">
                            {JOB_LABEL[r.job_type] ?? r.job_type}
                          </Text>
                        </UnstyledButton>
                        <Text size="xs" c="dimmed">
                          {r.triggered_by}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge status={r.status} />
                      </Table.Td>
                      <Table.Td visibleFrom="sm">{formatDateTime(r.started_at)}</Table.Td>
                      <Table.Td ta="right" className="bb-num">
                        {formatDuration(r.duration_seconds)}
                      </Table.Td>
                      <Table.Td ta="right" className="bb-num" visibleFrom="sm">
                        {r.completed_jobs}/{r.total_jobs}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
          )
        }
      </QueryCard>
      <Modal opened={openId !== null} onClose={() => setOpenId(null)} title="Batch run" size="lg">
        {openId && <RunDetail id={openId} />}
      </Modal>
    </Stack>
  );
}

function metricsOption(days: AdminMetrics['days'], dark: boolean): EChartOption {
  const axisColor = dark ? '#c1c2c5' : '#343a40';
  return {
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { color: axisColor } },
    tooltip: { trigger: 'axis' },
    xAxis: {
      type: 'category',
      data: days.map((d) => d.date),
      axisLabel: { color: axisColor, formatter: (v: string) => formatShortDate(v) },
    },
    yAxis: [
      {
        type: 'value',
        name: 'seconds',
        axisLabel: { color: axisColor },
        nameTextStyle: { color: axisColor },
      },
      {
        type: 'value',
        name: '%',
        max: 100,
        axisLabel: { color: axisColor },
        nameTextStyle: { color: axisColor },
        splitLine: { show: false },
      },
    ],
    series: [
      {
        name: 'Median, all known',
        type: 'bar',
        data: days.map((d) => d.median_duration_seconds_all_known),
        tooltip: { valueFormatter: (v: number) => formatDuration(v) },
      },
      {
        name: 'Median, with new symbols',
        type: 'bar',
        data: days.map((d) => d.median_duration_seconds_with_unknown),
        tooltip: { valueFormatter: (v: number) => formatDuration(v) },
      },
      {
        name: 'Failure rate',
        type: 'line',
        yAxisIndex: 1,
        data: days.map((d) => d.failure_rate_percent),
        tooltip: { valueFormatter: (v: number) => formatPercentValue(v) },
      },
      {
        name: 'Cache hit rate',
        type: 'line',
        yAxisIndex: 1,
        data: days.map((d) => d.cache_hit_rate_percent),
        tooltip: { valueFormatter: (v: number) => formatPercentValue(v) },
      },
    ],
  };
}

function MetricsCard() {
  const query = useAdminMetrics(30);
  const dark = useComputedColorScheme('light') === 'dark';
  const option = useMemo(
    () => (query.data ? metricsOption(query.data.days, dark) : null),
    [query.data, dark],
  );
  return (
    <QueryCard title="Onboarding per day" testId="admin-metrics" query={query} skeletonHeight={280}>
      {(m) =>
        m.days.length === 0 || !option ? (
          <Text size="sm" c="dimmed">
            No onboarding runs in the last {m.period_days} days.
          </Text>
        ) : (
          <>
            <EChart
              option={option}
              height={280}
              ariaLabel="Onboarding median durations, failure rate and cache hit rate per day"
            />
            <Text size="xs" c="dimmed">
              {formatInteger(m.days.reduce((s, d) => s + d.onboarding_runs, 0))} onboarding runs ·
              days in {m.timezone}
            </Text>
          </>
        )
      }
    </QueryCard>
  );
}

function CacheCard() {
  const query = useCacheHealth();
  return (
    <QueryCard title="Cache health" testId="cache-health" query={query}>
      {(c) => (
        <SimpleGrid cols={{ base: 2, sm: 3 }}>
          <Stat label="Symbols" value={formatInteger(c.symbols_cached)} />
          <Stat label="Dates" value={formatInteger(c.dates_cached)} />
          <Stat label="Price points" value={formatInteger(c.price_points)} />
          <Stat label="Memory" value={`${formatDecimal(c.approx_memory_mb, 1)} MB`} />
          <Stat
            label="Hit rate"
            value={formatPercent(c.hit_rate)}
            sub={`${formatInteger(c.hits)} hits · ${formatInteger(c.misses)} misses`}
          />
          <Stat
            label="Process RSS"
            value={`${formatInteger(c.process_memory.rss_bytes / 1024 / 1024)} MB`}
          />
        </SimpleGrid>
      )}
    </QueryCard>
  );
}

/** Operations: batch history, running jobs, run buttons, onboarding metrics, cache health. */
export default function AdminPage() {
  const me = useMe();
  if (me.data && me.data.role !== 'admin') return <Navigate to="/dashboard" replace />;
  return (
    <Container size="xl" py="md">
      <PageHeader title="Admin" subtitle="Batch runs, jobs and caches" actions={<RunButtons />} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <HistoryCard />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <CurrentRunsCard />
            <CacheCard />
          </Stack>
        </Grid.Col>
        <Grid.Col span={12}>
          <MetricsCard />
        </Grid.Col>
      </Grid>
    </Container>
  );
}
