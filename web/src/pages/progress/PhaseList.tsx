import { Group, Loader, Progress, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconCheck, IconCircleDashed, IconPlayerSkipForward, IconX } from '@tabler/icons-react';
import type { StatusPhase } from '../../api/types.ts';
import { phaseStatusText } from '../../features/progress/progress-machine.ts';
import { formatDuration } from '../../lib/format.ts';

function PhaseIcon({ status }: { status: StatusPhase['status'] }) {
  switch (status) {
    case 'completed':
      return (
        <ThemeIcon color="teal" radius="xl" size={24} role="img" aria-label="completed">
          <IconCheck size={15} />
        </ThemeIcon>
      );
    case 'skipped':
      return (
        <ThemeIcon
          color="gray"
          variant="light"
          radius="xl"
          size={24}
          role="img"
          aria-label="skipped"
        >
          <IconPlayerSkipForward size={14} />
        </ThemeIcon>
      );
    case 'failed':
      return (
        <ThemeIcon color="red" radius="xl" size={24} role="img" aria-label="failed">
          <IconX size={15} />
        </ThemeIcon>
      );
    case 'running':
      return <Loader size={22} role="img" aria-label="running" />;
    case 'pending':
      return (
        <ThemeIcon
          color="gray"
          variant="transparent"
          radius="xl"
          size={24}
          role="img"
          aria-label="pending"
        >
          <IconCircleDashed size={20} />
        </ThemeIcon>
      );
  }
}

/** The calculation's phases in order, each with its state, progress and duration. */
export function PhaseList({ phases }: { phases: StatusPhase[] }) {
  return (
    <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {phases.map((phase) => {
        const percent = phase.total > 0 ? Math.min(100, (phase.current / phase.total) * 100) : 0;
        return (
          <li
            key={phase.phase_id}
            data-testid={`phase-${phase.phase_id}`}
            data-status={phase.status}
          >
            <Group wrap="nowrap" align="flex-start" gap="sm">
              <PhaseIcon status={phase.status} />
              <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <Text size="sm" fw={600} truncate>
                    {phase.phase_name}
                  </Text>
                  <Text size="xs" c="dimmed" className="bb-num">
                    {phase.duration_seconds !== null ? formatDuration(phase.duration_seconds) : ''}
                  </Text>
                </Group>
                <Text size="xs" c="dimmed">
                  {phaseStatusText(phase)}
                  {phase.status === 'running' && phase.total > 0
                    ? ` · ${Math.round(percent)}%`
                    : ''}
                </Text>
                {phase.status === 'running' && phase.total > 0 && (
                  <Progress
                    value={percent}
                    size="sm"
                    aria-label={`${phase.phase_name}: ${phase.current} of ${phase.total} ${phase.unit}`}
                  />
                )}
              </Stack>
            </Group>
          </li>
        );
      })}
    </Stack>
  );
}
