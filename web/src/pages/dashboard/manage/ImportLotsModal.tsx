import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ApiError, messageOf } from '../../../api/errors.ts';
import { useImportLots } from '../../../api/hooks/positions.ts';
import type { CsvRowError, ParsedPosition } from '../../../api/types.ts';
import { CsvDropZone, csvFileProblem } from '../../upload/CsvDropZone.tsx';
import { CsvErrorList } from '../../upload/CsvErrorList.tsx';
import { CsvPreview } from '../../upload/CsvPreview.tsx';

interface Checked {
  file: File;
  positions: ParsedPosition[];
  errors: CsvRowError[];
  total: number;
}

/** The CSV's row errors from an import answer: a 200 dry run or the 400 ERR_PORT_008. */
function rowErrorsOf(error: unknown): { errors: CsvRowError[]; total: number } | null {
  if (!(error instanceof ApiError) || !Array.isArray(error.details?.errors)) return null;
  const errors = error.details.errors as CsvRowError[];
  const total =
    typeof error.details.total_errors === 'number' ? error.details.total_errors : errors.length;
  return { errors, total };
}

/**
 * Append the lots of a CSV to the portfolio: a dry run first (the upload page's preview and
 * error list), then the import itself. Lots already held (same symbol and entry date) are
 * refused like duplicate rows.
 */
export function ImportLotsModal({
  portfolioId,
  onClose,
}: {
  portfolioId: string;
  onClose: () => void;
}) {
  const importLots = useImportLots(portfolioId);
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [checked, setChecked] = useState<Checked | null>(null);

  const pick = (next: File) => {
    setFile(next);
    setChecked(null);
    importLots.reset();
    setFileError(csvFileProblem(next));
  };
  const check = () => {
    if (!file || fileError) return;
    importLots.mutate(
      { file, dryRun: true },
      {
        onSuccess: (data) =>
          setChecked({
            file,
            positions: data.positions as ParsedPosition[],
            errors: data.errors as CsvRowError[],
            total: data.total_errors,
          }),
      },
    );
  };
  const run = () => {
    if (!checked) return;
    importLots.mutate(
      { file: checked.file, dryRun: false },
      {
        onSuccess: (data) => {
          notifications.show({
            color: 'teal',
            title: 'Lots imported',
            message: `${data.imported.length} lot${data.imported.length === 1 ? '' : 's'} added; history is restated from the earliest entry.`,
          });
          onClose();
        },
      },
    );
  };

  const rejected = rowErrorsOf(importLots.error);
  const rowErrors = checked && checked.total > 0 ? checked : rejected;
  const ready = checked !== null && checked.total === 0 && checked.positions.length > 0;
  return (
    <Modal
      opened
      onClose={onClose}

      title="Import lots from a CSV"
      size="xl"
    >
      <Stack gap="sm" data-testid="import-dialog">
        <Text size="sm" c="dimmed">
          The upload template&apos;s columns. The file is checked first; nothing is written until
          you import.
        </Text>
        <CsvDropZone file={file} error={fileError} onFile={pick} />
        {ready && <CsvPreview positions={checked.positions} />}
        {rowErrors && rowErrors.total > 0 && (
          <CsvErrorList errors={rowErrors.errors} total={rowErrors.total} />
        )}
        {importLots.isError && !rejected && (
          <Alert color="red" role="alert">
            {messageOf(importLots.error)}
          </Alert>
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          {ready ? (
            <Button onClick={run} loading={importLots.isPending} data-testid="import-lots">
              Import {checked.positions.length} lot{checked.positions.length === 1 ? '' : 's'}
            </Button>
          ) : (
            <Button
              onClick={check}
              disabled={!file || fileError !== null}
              loading={importLots.isPending}
              data-testid="check-import"
            >
              Check file
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
