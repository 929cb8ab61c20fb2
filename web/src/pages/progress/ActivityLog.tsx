import { Button, Group, Text } from '@mantine/core';
import { IconArrowDown } from '@tabler/icons-react';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { OnboardingStatus } from '../../api/types.ts';
import { formatTime } from '../../lib/format.ts';

const LEVEL_CLASS: Record<string, string | undefined> = {
  warning: 'bb-warn',
  error: 'bb-loss',
};

/**
 * The run's activity log. It follows new lines unless the user scrolled up to read; then a
 * "Jump to latest" button brings them back.
 */
export function ActivityLog({ lines }: { lines: OnboardingStatus['activity_log'] }) {
  const box = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);

  useLayoutEffect(() => {
    const el = box.current;
    if (el && following) el.scrollTop = el.scrollHeight;
  }, [lines.length, following]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onScroll = () => {
      const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      setFollowing(atBottom);
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, []);

  return (
    <div style={{ position: 'relative' }}>
      <div
        ref={box}
        className="bb-log"
        role="log"
        aria-live="polite"
        aria-label="Activity log"
        tabIndex={0}
        data-testid="activity-log"
      >
        {lines.length === 0 ? (
          <Text size="sm" c="dimmed">
            Waiting for activity…
          </Text>
        ) : (
          lines.map((line, i) => (
            <div key={`${line.timestamp}-${i}`} className={LEVEL_CLASS[line.level]}>
              <span className="bb-num" style={{ opacity: 0.75 }}>
                {formatTime(line.timestamp)}
              </span>{' '}
              {line.level !== 'info' && <strong>{line.level.toUpperCase()} </strong>}
              {line.message}
            </div>
          ))
        )}
      </div>
      {!following && lines.length > 0 && (
        <Group justify="center" style={{ position: 'absolute', bottom: 8, left: 0, right: 0 }}>
          <Button
            size="compact-xs"
            leftSection={<IconArrowDown size={12} />}
            onClick={() => setFollowing(true)}
            data-testid="jump-to-latest"
          >
            Jump to latest
          </Button>
        </Group>
      )}
    </div>
  );
}
