import { Alert, List, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { CsvRowError } from '../../api/types.ts';

/** `Line 7 · Quantity · ERR_POS_005 — Quantity must be a number` (parts left out when absent). */
export function csvErrorLine(error: CsvRowError): string {
  const parts = [error.row !== null ? `Line ${error.row}` : null, error.field, error.code].filter(
    (p): p is string => Boolean(p),
  );
  return `${parts.join(' · ')} — ${error.message}`;
}

/** Every row error of a rejected CSV, with tips for fixing the file. */
export function CsvErrorList({ errors, total }: { errors: CsvRowError[]; total: number }) {
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title={`CSV validation failed — ${total} error${total === 1 ? '' : 's'}`}
      data-testid="csv-errors"
      role="alert"
    >
      <Stack gap="xs">
        <List size="sm" spacing={2} data-testid="csv-error-list">
          {errors.map((e, i) => (
            <List.Item key={`${e.row}-${e.code}-${i}`} style={{ overflowWrap: 'anywhere' }}>
              {csvErrorLine(e)}
            </List.Item>
          ))}
        </List>
        {total > errors.length && (
          <Text size="sm">…and {total - errors.length} more. Fix these and check again.</Text>
        )}
        <Text size="xs">
          Tips: line numbers count every line of the file, comments and header included. Dates are
          YYYY-MM-DD; quantities are numbers (negative for shorts); options need an underlying,
          strike and expiration. Nothing was saved — fix the file and check it again.
        </Text>
      </Stack>
    </Alert>
  );
}
