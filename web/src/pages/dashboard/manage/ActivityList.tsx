import { Stack, Text, Timeline } from '@mantine/core';
import {
  IconCalculator,
  IconCash,
  IconMinus,
  IconPencil,
  IconPlus,
  IconPoint,
} from '@tabler/icons-react';
import { useActivity } from '../../../api/hooks/positions.ts';
import { QueryBody } from '../../../components/QueryCard.tsx';
import { describeActivity, type ActivityText } from '../../../features/manage/activity.ts';
import { formatDateTime } from '../../../lib/format.ts';

const ICONS: Record<ActivityText['kind'], typeof IconPlus> = {
  added: IconPlus,
  changed: IconPencil,
  sold: IconCash,
  removed: IconMinus,
  calculation: IconCalculator,
  other: IconPoint,
};

/** The audit trail: who changed what and when, before → after; calculations in between. */
export function ActivityList({ portfolioId }: { portfolioId: string }) {
  const query = useActivity(portfolioId);
  return (
    <QueryBody query={query}>
      {(data) =>
        data.entries.length === 0 ? (
          <Text size="sm" c="dimmed">
            No changes yet: lots added, corrected, sold or removed appear here, with the
            calculations they started.
          </Text>
        ) : (
          // A focusable scroll box: a long trail does not push the rest of the page away.
          <div
            role="region"
            aria-label="Activity trail"
            tabIndex={0}
            style={{ maxHeight: 560, overflowY: 'auto' }}
          >
            <Timeline bulletSize={24} lineWidth={2} data-testid="activity-list">
              {data.entries.map((entry) => {
                const text = describeActivity(entry);
                const Icon = ICONS[text.kind];
                return (
                  <Timeline.Item
                    key={entry.id}
                    bullet={<Icon size={14} aria-hidden />}
                    data-testid="activity-entry"
                    title={
                      <Text
                        size="sm"
                        fw={text.kind === 'calculation' ? 400 : 600}
                        c={text.kind === 'calculation' ? 'dimmed' : undefined}
                      >
                        {text.title}
                      </Text>
                    }
                  >
                    <Stack gap={2}>
                      {text.changes.map((change) => (
                        <Text key={change.label} size="sm">
                          <Text span size="sm" c="dimmed">
                            {change.label}:
                          </Text>{' '}
                          <span className="bb-num">
                            {change.before} → {change.after}
                          </span>
                        </Text>
                      ))}
                      <Text size="xs" c="dimmed">
                        {formatDateTime(entry.timestamp)}
                        {entry.user ? ` · ${entry.user}` : ''}
                      </Text>
                    </Stack>
                  </Timeline.Item>
                );
              })}
            </Timeline>
          </div>
        )
      }
    </QueryBody>
  );
}
