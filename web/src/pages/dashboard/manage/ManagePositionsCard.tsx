import { Badge, Button, Card, Group, Loader, Tabs, Title } from '@mantine/core';
import { IconFileImport, IconHistory, IconList, IconPlus } from '@tabler/icons-react';
import { lazy, Suspense, useCallback, useState } from 'react';
import { useLots } from '../../../api/hooks/positions.ts';
import type { PositionDetail } from '../../../api/types.ts';
import { QueryBody } from '../../../components/QueryCard.tsx';
import { useRecalculationRunning } from '../../../features/manage/useRecalculationRunning.ts';
import { ActivityList } from './ActivityList.tsx';
import { LotsTable, type LotAction } from './LotsTable.tsx';

// The dialogs load when first opened: the dashboard's own code stays what its cards need.
const ImportLotsModal = lazy(() =>
  import('./ImportLotsModal.tsx').then((m) => ({ default: m.ImportLotsModal })),
);
const LotFormModal = lazy(() =>
  import('./LotFormModal.tsx').then((m) => ({ default: m.LotFormModal })),
);
const RemoveLotModal = lazy(() =>
  import('./RemoveLotModal.tsx').then((m) => ({ default: m.RemoveLotModal })),
);
const SellLotModal = lazy(() =>
  import('./SellLotModal.tsx').then((m) => ({ default: m.SellLotModal })),
);

type Dialog =
  { kind: 'add' } | { kind: 'import' } | { kind: LotAction; lot: PositionDetail } | null;

/** "Manage positions": the lots as entered (add, correct, sell, remove, import) and the audit trail. */
export function ManagePositionsCard({ portfolioId }: { portfolioId: string }) {
  const lots = useLots(portfolioId);
  const recalculating = useRecalculationRunning(portfolioId);
  const [tab, setTab] = useState<string | null>('lots');
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = useCallback(() => setDialog(null), []);
  const onAction = useCallback(
    (kind: LotAction, lot: PositionDetail) => setDialog({ kind, lot }),
    [],
  );

  return (
    <Card component="section" aria-label="Manage positions" data-testid="manage-positions">
      <Group justify="space-between" align="center" mb="sm" wrap="wrap" gap="xs">
        <Group gap="xs">
          <Title order={2} size="h5">
            Manage positions
          </Title>
          {recalculating && (
            <Badge
              variant="light"
              color="blue"
              leftSection={<Loader size={10} color="blue" aria-hidden />}
              data-testid="recalculating-badge"
            >
              Recalculating
            </Badge>
          )}
        </Group>
        <Group gap="xs">
          <Button
            size="xs"
            variant="default"
            leftSection={<IconFileImport size={14} />}
            onClick={() => setDialog({ kind: 'import' })}
          >
            Import CSV
          </Button>
          <Button
            size="xs"
            leftSection={<IconPlus size={14} />}
            onClick={() => setDialog({ kind: 'add' })}
            data-testid="add-lot"
          >
            Add lot
          </Button>
        </Group>
      </Group>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="sm">
          <Tabs.Tab value="lots" leftSection={<IconList size={14} />}>
            Lots
          </Tabs.Tab>
          <Tabs.Tab value="activity" leftSection={<IconHistory size={14} />}>
            Activity
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="lots">
          <QueryBody query={lots}>
            {(data) => <LotsTable lots={data.positions} onAction={onAction} />}
          </QueryBody>
        </Tabs.Panel>
        <Tabs.Panel value="activity">
          <ActivityList portfolioId={portfolioId} />
        </Tabs.Panel>
      </Tabs>
      <Suspense fallback={null}>
        {dialog?.kind === 'add' && <LotFormModal portfolioId={portfolioId} onClose={close} />}
        {dialog?.kind === 'edit' && (
          <LotFormModal portfolioId={portfolioId} lot={dialog.lot} onClose={close} />
        )}
        {dialog?.kind === 'sell' && (
          <SellLotModal portfolioId={portfolioId} lot={dialog.lot} onClose={close} />
        )}
        {dialog?.kind === 'remove' && (
          <RemoveLotModal portfolioId={portfolioId} lot={dialog.lot} onClose={close} />
        )}
        {dialog?.kind === 'import' && <ImportLotsModal portfolioId={portfolioId} onClose={close} />}
      </Suspense>
    </Card>
  );
}
