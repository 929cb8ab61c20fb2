import {
  Alert,
  Button,
  Card,
  Container,
  Grid,
  Group,
  List,
  Menu,
  Progress,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconCheck,
  IconDownload,
  IconPlus,
  IconRefresh,
  IconWifiOff,
  IconX,
} from '@tabler/icons-react';
import { useEffect, useReducer, useState } from 'react';
import { Link, useParams } from 'react-router';
import { downloadFromApi } from '../../api/client.ts';
import { ApiError, messageOf } from '../../api/errors.ts';
import { useCalculate, useOnboardingStatus } from '../../api/hooks/onboarding.ts';
import { usePortfolios } from '../../api/hooks/portfolios.ts';
import {
  headlineOf,
  initialProgressState,
  leftOutReasons,
  progressReducer,
  type ProgressState,
} from '../../features/progress/progress-machine.ts';
import { SessionList } from '../../features/upload/SessionList.tsx';
import { setUploadSessionStatus } from '../../features/upload/upload-session.ts';
import { useUploadSession } from '../../features/upload/useUploadSession.ts';
import { formatDuration } from '../../lib/format.ts';
import { ActivityLog } from './ActivityLog.tsx';
import { PhaseList } from './PhaseList.tsx';

function HeaderIcon({ state }: { state: ProgressState }) {
  switch (state.view) {
    case 'completed':
      return (
        <ThemeIcon color="teal" size={44} radius="xl" className="bb-success-pop" aria-hidden>
          <IconCheck size={26} />
        </ThemeIcon>
      );
    case 'partial':
      return (
        <ThemeIcon color="yellow" size={44} radius="xl" aria-hidden>
          <IconAlertTriangle size={24} />
        </ThemeIcon>
      );
    case 'failed':
      return (
        <ThemeIcon color="red" size={44} radius="xl" aria-hidden>
          <IconX size={24} />
        </ThemeIcon>
      );
    case 'unavailable':
      return (
        <ThemeIcon color="gray" size={44} radius="xl" aria-hidden>
          <IconWifiOff size={24} />
        </ThemeIcon>
      );
    default:
      return null;
  }
}

/** Polling starts when the page opens. */
const startProgress = () => initialProgressState(Date.now());

/** One screen for every state of a portfolio's calculation, polled every 2 s. */
export default function ProgressPage() {
  const { portfolioId = '' } = useParams();
  const [state, dispatch] = useReducer(progressReducer, null, startProgress);
  const status = useOnboardingStatus(portfolioId, state.polling);
  const calculate = useCalculate();
  const portfolios = usePortfolios();
  const session = useUploadSession();
  const [downloadError, setDownloadError] = useState<string | null>(null);

  // Each answer (or failure) of the poll is one event for the state machine.
  useEffect(() => {
    if (status.data && status.dataUpdatedAt) {
      dispatch({ type: 'status', at: Date.now(), status: status.data });
    }
  }, [status.data, status.dataUpdatedAt]);
  useEffect(() => {
    if (!status.error || !status.errorUpdatedAt) return;
    if (status.error instanceof ApiError && status.error.status === 404) {
      dispatch({ type: 'not_found', at: Date.now() });
    } else {
      dispatch({ type: 'error', at: Date.now(), message: messageOf(status.error) });
    }
  }, [status.error, status.errorUpdatedAt]);

  useEffect(() => {
    if (state.view === 'completed') setUploadSessionStatus(portfolioId, 'ready');
    if (state.view === 'partial') setUploadSessionStatus(portfolioId, 'warnings');
    if (state.view === 'failed') setUploadSessionStatus(portfolioId, 'failed');
  }, [state.view, portfolioId]);

  const name =
    session.find((s) => s.portfolioId === portfolioId)?.name ??
    portfolios.data?.find((p) => p.id === portfolioId)?.name ??
    'your portfolio';
  const last = state.last;
  const finished =
    state.view === 'completed' || state.view === 'partial' || state.view === 'failed';

  const retry = () => {
    calculate.mutate(
      { portfolioId },
      {
        onSuccess: () => dispatch({ type: 'retry', at: Date.now() }),
        onError: (error) => {
          // Already running: follow that run.
          if (error instanceof ApiError && error.status === 409) {
            dispatch({ type: 'refresh', at: Date.now() });
          }
        },
      },
    );
  };
  const refresh = () => {
    dispatch({ type: 'refresh', at: Date.now() });
    void status.refetch();
  };
  const download = async (format: 'txt' | 'json') => {
    setDownloadError(null);
    try {
      await downloadFromApi(
        `/api/v1/onboarding/status/${portfolioId}/logs?format=${format}`,
        `onboarding-${portfolioId}.${format}`,
      );
    } catch (error) {
      setDownloadError(messageOf(error));
    }
  };

  const dashboardLink = `/dashboard?portfolio=${portfolioId}`;
  const overall = last?.overall_progress;
  const phasesDone =
    last?.phases.filter((p) => p.status === 'completed' || p.status === 'skipped').length ?? 0;

  return (
    <Container size="lg" py="md">
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: session.length > 0 ? 8 : 12 }}>
          <Card data-testid="progress-card" data-view={state.view}>
            <Group gap="md" wrap="nowrap" mb="md">
              <HeaderIcon state={state} />
              <Stack gap={2} style={{ minWidth: 0 }}>
                <Title order={1} size="h3" data-testid="progress-headline">
                  {headlineOf(state, name)}
                </Title>
                <Text size="sm" c="dimmed">
                  {state.view === 'completed' && `${name} is calculated and ready to explore.`}
                  {state.view === 'partial' &&
                    `${name} is calculated, but some holdings could not be analysed.`}
                  {state.view === 'failed' &&
                    `The calculation of ${name} stopped before it finished.`}
                  {state.view === 'unavailable' &&
                    'The server has no calculation for this portfolio. It may not have started.'}
                  {state.view === 'running' &&
                    (last?.status === 'queued' ? 'Queued — starting shortly.' : 'Calculating…')}
                  {state.view === 'waiting' && 'Waiting for the calculation to start…'}
                </Text>
              </Stack>
            </Group>

            {state.connectionError && (
              <Alert color="yellow" mb="sm" icon={<IconWifiOff size={16} />}>
                {state.connectionError} Still trying every 2 seconds.
              </Alert>
            )}
            {calculate.isError &&
              !(calculate.error instanceof ApiError && calculate.error.status === 409) && (
                <Alert color="red" mb="sm" role="alert">
                  Could not start the calculation: {messageOf(calculate.error)}
                </Alert>
              )}

            {state.view === 'unavailable' ? (
              <Stack gap="sm">
                <Text size="sm">
                  Unable to fetch status updates: no calculation was found for this portfolio after{' '}
                  {state.consecutiveNotFound} checks.
                </Text>
                <Group gap="xs">
                  <Button
                    onClick={retry}
                    loading={calculate.isPending}
                    leftSection={<IconRefresh size={16} />}
                  >
                    Retry calculation
                  </Button>
                  <Button variant="default" onClick={refresh} data-testid="refresh-status">
                    Refresh status
                  </Button>
                  <Button variant="subtle" component={Link} to={dashboardLink}>
                    View portfolio
                  </Button>
                </Group>
              </Stack>
            ) : !last ? (
              <Stack gap="sm" aria-busy="true" aria-label="Loading status">
                {[0, 1, 2, 3, 4].map((i) => (
                  <Group key={i} gap="sm" wrap="nowrap">
                    <Skeleton circle height={24} />
                    <Skeleton height={14} width={`${60 - i * 6}%`} />
                  </Group>
                ))}
              </Stack>
            ) : (
              <Stack gap="md">
                <PhaseList phases={last.phases} />
                {!finished && overall && (
                  <Progress
                    value={overall.percent_complete}
                    size="md"
                    aria-label={`Overall progress ${Math.round(overall.percent_complete)}%`}
                    animated
                  />
                )}
                {state.view === 'partial' && (
                  <Alert color="yellow" title="Left out of the analysis" data-testid="left-out">
                    <List size="sm" spacing={2}>
                      {leftOutReasons(last).map((reason) => (
                        <List.Item key={reason}>{reason}</List.Item>
                      ))}
                    </List>
                  </Alert>
                )}
                <Group justify="space-between" gap="xs" wrap="wrap">
                  <Text size="sm" c="dimmed" className="bb-num" data-testid="progress-footer">
                    {finished
                      ? `Total ${formatDuration(last.elapsed_seconds)} · ${phasesDone} of ${last.phases.length} phases completed`
                      : `Elapsed ${formatDuration(last.elapsed_seconds ?? 0)} · ${Math.round(overall?.percent_complete ?? 0)}% overall`}
                  </Text>
                  <Group gap="xs">
                    <Menu position="bottom-end">
                      <Menu.Target>
                        <Button
                          variant="default"
                          size="xs"
                          leftSection={<IconDownload size={14} />}
                        >
                          Download log
                        </Button>
                      </Menu.Target>
                      <Menu.Dropdown>
                        <Menu.Item onClick={() => void download('txt')}>Text (.txt)</Menu.Item>
                        <Menu.Item onClick={() => void download('json')}>JSON (.json)</Menu.Item>
                      </Menu.Dropdown>
                    </Menu>
                    {state.view === 'failed' && (
                      <Button
                        size="xs"
                        onClick={retry}
                        loading={calculate.isPending}
                        leftSection={<IconRefresh size={14} />}
                      >
                        Retry
                      </Button>
                    )}
                    {finished && (
                      <Button
                        size="xs"
                        variant={state.view === 'failed' ? 'subtle' : 'filled'}
                        component={Link}
                        to={dashboardLink}
                        data-testid="view-dashboard"
                      >
                        {state.view === 'failed' ? 'View anyway' : 'View dashboard'}
                      </Button>
                    )}
                  </Group>
                </Group>
                {downloadError && (
                  <Alert color="red" role="alert">
                    {downloadError}
                  </Alert>
                )}
              </Stack>
            )}
          </Card>

          <Card mt="md">
            <Title order={2} size="h5" mb="xs">
              Activity
            </Title>
            <ActivityLog lines={last?.activity_log ?? []} />
          </Card>
        </Grid.Col>
        {session.length > 0 && (
          <Grid.Col span={{ base: 12, md: 4 }}>
            <SessionList />
          </Grid.Col>
        )}
        {session.length === 0 && finished && state.view !== 'failed' && (
          <Grid.Col span={12}>
            <Button
              variant="default"
              leftSection={<IconPlus size={16} />}
              component={Link}
              to="/upload"
            >
              Add another portfolio
            </Button>
          </Grid.Col>
        )}
      </Grid>
    </Container>
  );
}
