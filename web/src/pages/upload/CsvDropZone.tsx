import { Group, Stack, Text } from '@mantine/core';
import { IconFileSpreadsheet, IconUpload } from '@tabler/icons-react';
import { useId, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { formatBytes } from '../../lib/format.ts';

/** The server's limit (ERR_CSV_001), checked before anything is sent. */
export const MAX_CSV_BYTES = 10 * 1024 * 1024;

/** Why a file cannot be uploaded, or null when it can. */
export function csvFileProblem(file: File): string | null {
  if (!/\.csv$/i.test(file.name)) return `${file.name} is not a .csv file.`;
  if (file.size > MAX_CSV_BYTES) {
    return `${file.name} is ${formatBytes(file.size)}; the limit is 10 MB.`;
  }
  if (file.size === 0) return `${file.name} is empty.`;
  return null;
}

/**
 * Click, Enter/Space or drop a `.csv`. A real file input underneath keeps it accessible and
 * lets tests set the file directly.
 */
export function CsvDropZone({
  file,
  error,
  onFile,
}: {
  file: File | null;
  error: string | null;
  onFile: (file: File) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const id = useId();

  const pick = (files: FileList | null) => {
    const first = files?.[0];
    if (first) onFile(first);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    pick(event.dataTransfer.files);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      input.current?.click();
    }
  };

  return (
    <Stack gap={4}>
      <Text component="label" htmlFor={id} size="sm" fw={500}>
        Positions CSV <span aria-hidden>*</span>
      </Text>
      <div
        className="bb-dropzone"
        data-active={dragging}
        role="button"
        tabIndex={0}
        aria-describedby={`${id}-hint`}
        onClick={() => input.current?.click()}
        onKeyDown={onKeyDown}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="csv-dropzone"
      >
        <Group justify="center" gap="sm" wrap="nowrap">
          {file ? (
            <IconFileSpreadsheet size={28} aria-hidden />
          ) : (
            <IconUpload size={28} aria-hidden />
          )}
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Text size="sm" fw={600} truncate={file ? true : undefined}>
              {file ? file.name : 'Drop your positions CSV here, or click to choose'}
            </Text>
            <Text size="xs" c="dimmed" id={`${id}-hint`}>
              {file ? `${formatBytes(file.size)} · click to replace` : '.csv up to 10 MB'}
            </Text>
          </Stack>
        </Group>
      </div>
      <input
        ref={input}
        id={id}
        type="file"
        accept=".csv,text/csv"
        hidden
        data-testid="csv-input"
        onChange={(e) => {
          pick(e.currentTarget.files);
          e.currentTarget.value = '';
        }}
      />
      {error && (
        <Text size="sm" className="bb-loss" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}
