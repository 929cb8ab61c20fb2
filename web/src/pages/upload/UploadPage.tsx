import {
  Alert,
  Button,
  Card,
  Container,
  Grid,
  Group,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconDownload, IconFileCheck } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { downloadFromApi } from '../../api/client.ts';
import { ApiError, messageOf } from '../../api/errors.ts';
import { useCalculate, useCreatePortfolio, useValidateCsv } from '../../api/hooks/onboarding.ts';
import type { AccountType, CsvRowError, ValidateCsvResult } from '../../api/types.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { addToUploadSession } from '../../features/upload/upload-session.ts';
import { SessionList } from '../../features/upload/SessionList.tsx';
import { useUploadSession } from '../../features/upload/useUploadSession.ts';
import { ACCOUNT_TYPE_OPTIONS } from '../../lib/account-types.ts';
import { CsvDropZone, csvFileProblem } from './CsvDropZone.tsx';
import { CsvErrorList } from './CsvErrorList.tsx';
import { CsvPreview } from './CsvPreview.tsx';

interface FormValues {
  portfolio_name: string;
  account_name: string;
  account_type: AccountType;
  equity_balance: string;
  description: string;
}

const EMPTY: FormValues = {
  portfolio_name: '',
  account_name: '',
  account_type: 'taxable',
  equity_balance: '',
  description: '',
};

type FieldErrors = Partial<Record<keyof FormValues, string>>;

/** Splits a rejected upload's errors: form-field problems onto their fields, the CSV's listed. */
function splitUploadErrors(error: ApiError): {
  fields: FieldErrors;
  csv: CsvRowError[];
  total: number;
} {
  const list = (error.details?.errors ?? []) as CsvRowError[];
  const fields: FieldErrors = {};
  const csv: CsvRowError[] = [];
  for (const e of list) {
    if (e.row === null && e.field && e.field in EMPTY) {
      fields[e.field as keyof FormValues] ??= e.message;
    } else {
      csv.push(e);
    }
  }
  if (error.code === 'ERR_PORT_001') {
    fields.account_name ??= error.message;
  }
  const total =
    typeof error.details?.total_errors === 'number' ? error.details.total_errors : list.length;
  return { fields, csv, total: Math.max(total - Object.keys(fields).length, csv.length) };
}

export default function UploadPage() {
  const navigate = useNavigate();
  const session = useUploadSession();
  const validate = useValidateCsv();
  const create = useCreatePortfolio();
  const calculate = useCalculate();
  const [values, setValues] = useState<FormValues>(EMPTY);
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [checked, setChecked] = useState<ValidateCsvResult | null>(null);
  const [templateError, setTemplateError] = useState<string | null>(null);

  const set = (key: keyof FormValues) => (value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    if (create.isError) create.reset();
  };

  const chooseFile = (next: File) => {
    setChecked(null);
    validate.reset();
    create.reset();
    const problem = csvFileProblem(next);
    setFileError(problem);
    setFile(problem ? null : next);
  };

  const checkFile = () => {
    if (!file) return setFileError('Choose a CSV file first.');
    validate.mutate(file, { onSuccess: setChecked });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file) return setFileError('Choose a CSV file to upload.');
    create.mutate(
      { ...values, file },
      {
        onSuccess: async (result) => {
          addToUploadSession({
            portfolioId: result.portfolio_id,
            name: result.portfolio_name,
            accountName: result.account_name,
            positions: result.positions_imported,
          });
          // Start at once and go to Progress even if starting failed: that page offers Retry,
          // and the user never comes back here to hit "already exists".
          try {
            await calculate.mutateAsync({ portfolioId: result.portfolio_id });
          } catch {
            // shown by the progress page
          }
          navigate(`/progress/${result.portfolio_id}`);
        },
      },
    );
  };

  const rejection =
    create.error instanceof ApiError && create.error.status < 500
      ? splitUploadErrors(create.error)
      : null;
  const fieldErrors = rejection?.fields ?? {};
  const csvErrors = rejection?.csv ?? [];
  const otherError = create.isError && !rejection ? messageOf(create.error) : null;
  const generalError =
    rejection && csvErrors.length === 0 && Object.keys(fieldErrors).length === 0
      ? messageOf(create.error)
      : null;

  const downloadTemplate = async () => {
    setTemplateError(null);
    try {
      await downloadFromApi('/api/v1/onboarding/csv-template', 'betaboard-positions-template.csv');
    } catch (error) {
      setTemplateError(messageOf(error));
    }
  };

  return (
    <Container size="lg" py="md">
      <PageHeader
        title="Upload a portfolio"
        subtitle="Positions from a CSV file: stocks, ETFs, options and private assets."
        actions={
          <Button
            variant="default"
            leftSection={<IconDownload size={16} />}
            onClick={() => void downloadTemplate()}
            data-testid="download-template"
          >
            Download template
          </Button>
        }
      />
      {templateError && (
        <Alert color="red" mb="md" role="alert">
          {templateError}
        </Alert>
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: session.length > 0 ? 8 : 12 }}>
          <form onSubmit={submit} noValidate aria-label="Upload a portfolio">
            <Stack gap="md">
              <Card>
                <Title order={2} size="h4" mb="sm">
                  Portfolio details
                </Title>
                <Grid gap="sm">
                  <Grid.Col span={{ base: 12, sm: 6 }}>
                    <TextInput
                      label="Portfolio name"
                      placeholder="Core equity"
                      required
                      value={values.portfolio_name}
                      onChange={(e) => set('portfolio_name')(e.currentTarget.value)}
                      error={fieldErrors.portfolio_name}
                      maxLength={255}
                    />
                  </Grid.Col>
                  <Grid.Col span={{ base: 12, sm: 6 }}>
                    <TextInput
                      label="Account name"
                      placeholder="Schwab Living Trust"
                      required
                      value={values.account_name}
                      onChange={(e) => set('account_name')(e.currentTarget.value)}
                      error={fieldErrors.account_name}
                      maxLength={100}
                      data-testid="account-name"
                    />
                  </Grid.Col>
                  <Grid.Col span={{ base: 12, sm: 6 }}>
                    <Select
                      label="Account type"
                      required
                      data={ACCOUNT_TYPE_OPTIONS}
                      value={values.account_type}
                      onChange={(v) => v && set('account_type')(v)}
                      allowDeselect={false}
                      error={fieldErrors.account_type}
                    />
                  </Grid.Col>
                  <Grid.Col span={{ base: 12, sm: 6 }}>
                    <TextInput
                      label="Equity balance"
                      description="The account's total value on the first calculation day, in dollars"
                      placeholder="$1,000,000"
                      required
                      inputMode="decimal"
                      value={values.equity_balance}
                      onChange={(e) => set('equity_balance')(e.currentTarget.value)}
                      error={fieldErrors.equity_balance}
                    />
                  </Grid.Col>
                  <Grid.Col span={12}>
                    <Textarea
                      label="Description"
                      description="Optional"
                      autosize
                      minRows={2}
                      maxLength={2000}
                      value={values.description}
                      onChange={(e) => set('description')(e.currentTarget.value)}
                      error={fieldErrors.description}
                    />
                  </Grid.Col>
                </Grid>
              </Card>

              <Card>
                <Title order={2} size="h4" mb="sm">
                  Positions
                </Title>
                <Stack gap="sm">
                  <CsvDropZone file={file} error={fileError} onFile={chooseFile} />
                  <Group gap="sm">
                    <Button
                      variant="default"
                      leftSection={<IconFileCheck size={16} />}
                      onClick={checkFile}
                      loading={validate.isPending}
                      disabled={!file}
                      data-testid="check-file"
                    >
                      Check file
                    </Button>
                    <Text size="xs" c="dimmed">
                      A dry run: parses the file and lists what would be imported; saves nothing.
                    </Text>
                  </Group>
                  {validate.isError && (
                    <Alert color="red" role="alert">
                      {messageOf(validate.error)}
                    </Alert>
                  )}
                  {checked && !checked.valid && (
                    <CsvErrorList errors={checked.errors} total={checked.total_errors} />
                  )}
                  {checked?.valid && (
                    <CsvPreview positions={checked.positions} total={checked.total_positions} />
                  )}
                  {csvErrors.length > 0 && rejection && (
                    <CsvErrorList errors={csvErrors} total={rejection.total} />
                  )}
                </Stack>
              </Card>

              {(otherError ?? generalError) && (
                <Alert color="red" role="alert" data-testid="upload-error">
                  {otherError ?? generalError}
                </Alert>
              )}
              <Group justify="flex-end">
                <Button
                  type="submit"
                  size="md"
                  loading={create.isPending || calculate.isPending}
                  data-testid="create-portfolio"
                >
                  Upload and calculate
                </Button>
              </Group>
            </Stack>
          </form>
        </Grid.Col>
        {session.length > 0 && (
          <Grid.Col span={{ base: 12, md: 4 }}>
            <SessionList />
          </Grid.Col>
        )}
      </Grid>
    </Container>
  );
}
