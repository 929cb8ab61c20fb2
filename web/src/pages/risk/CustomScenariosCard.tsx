import {
  ActionIcon,
  Alert,
  Button,
  Group,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { messageOf } from '../../api/errors.ts';
import {
  SCENARIO_FACTORS,
  useCreateCustomScenario,
  useCustomScenarios,
  useDeleteCustomScenario,
  type ScenarioFactor,
} from '../../api/hooks/custom-scenarios.ts';
import type { NewCustomScenario } from '../../api/types.ts';
import { QueryCard } from '../../components/QueryCard.tsx';
import { Tag } from '../../components/Tag.tsx';
import { formatDate, formatSignedPercent } from '../../lib/format.ts';

/** Shocks are typed in percent (Rates in basis points) and sent as decimals. */
function shocksFrom(inputs: Record<string, string>): Partial<Record<ScenarioFactor, number>> {
  const shocks: Partial<Record<ScenarioFactor, number>> = {};
  for (const factor of SCENARIO_FACTORS) {
    const raw = inputs[factor]?.trim();
    if (!raw) continue;
    const value = Number(raw);
    if (Number.isFinite(value)) shocks[factor] = factor === 'Rates' ? value / 10_000 : value / 100;
  }
  return shocks;
}

function describeShocks(shocks: Record<string, number> | null): string {
  if (!shocks) return '';
  return Object.entries(shocks)
    .map(([f, v]) =>
      f === 'Rates'
        ? `Rates ${v! >= 0 ? '+' : ''}${Math.round(v! * 10_000)} bp`
        : `${f} ${formatSignedPercent(v)}`,
    )
    .join(', ');
}

/** The user's own scenarios: create (factor shocks or a historical window), list, delete. */
export function CustomScenariosCard() {
  const query = useCustomScenarios();
  const create = useCreateCustomScenario();
  const remove = useDeleteCustomScenario();
  const [kind, setKind] = useState<'shocks' | 'window'>('shocks');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [inputs, setInputs] = useState<Record<string, string>>({});
  const [start, setStart] = useState('2020-02-19');
  const [end, setEnd] = useState('2020-03-23');
  const shocks = shocksFrom(inputs);
  const ready =
    name.trim().length > 0 &&
    (kind === 'shocks' ? Object.keys(shocks).length > 0 : Boolean(start && end && start < end));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: NewCustomScenario = {
      name: name.trim(),
      ...(description.trim() ? { description: description.trim() } : {}),
      ...(kind === 'shocks' ? { shocks } : { window: { start, end } }),
    };
    create.mutate(body, {
      onSuccess: () => {
        setName('');
        setDescription('');
        setInputs({});
      },
    });
  };

  return (
    <QueryCard title="Custom scenarios" testId="custom-scenarios" query={query}>
      {(scenarios) => (
        <Stack gap="md">
          {scenarios.length === 0 ? (
            <Text size="sm" c="dimmed">
              No custom scenarios yet. Each one joins the stress table at once, evaluated with every
              portfolio's current model.
            </Text>
          ) : (
            <Stack gap="xs">
              {scenarios.map((s) => (
                <Group
                  key={s.id}
                  justify="space-between"
                  wrap="nowrap"
                  data-testid="custom-scenario"
                >
                  <Stack gap={0} style={{ minWidth: 0 }}>
                    <Group gap={6}>
                      <Text size="sm" fw={600}>
                        {s.name}
                      </Text>
                      <Tag size="xs" tone="custom">
                        Custom
                      </Tag>
                    </Group>
                    <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                      {s.window
                        ? `Replay ${formatDate(s.window.start)} – ${formatDate(s.window.end)}`
                        : describeShocks(s.shocks)}
                      {' · '}
                      {s.severity}
                    </Text>
                  </Stack>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={`Delete ${s.name}`}
                    onClick={() => remove.mutate(s.id)}
                    loading={remove.isPending && remove.variables === s.id}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                </Group>
              ))}
            </Stack>
          )}
          <form onSubmit={submit} aria-label="Create a custom scenario">
            <Stack gap="xs">
              <SegmentedControl
                size="xs"
                value={kind}
                onChange={(v) => setKind(v as typeof kind)}
                data={[
                  { value: 'shocks', label: 'Factor shocks' },
                  { value: 'window', label: 'Historical window' },
                ]}
                aria-label="Kind of scenario"
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
                <TextInput
                  size="xs"
                  label="Name"
                  required
                  value={name}
                  onChange={(e) => setName(e.currentTarget.value)}
                />
                <TextInput
                  size="xs"
                  label="Description"
                  value={description}
                  onChange={(e) => setDescription(e.currentTarget.value)}
                />
              </SimpleGrid>
              {kind === 'shocks' ? (
                <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
                  {SCENARIO_FACTORS.map((factor) => (
                    <TextInput
                      key={factor}
                      size="xs"
                      label={factor === 'Rates' ? 'Rates (bp)' : `${factor} (%)`}
                      inputMode="decimal"
                      placeholder="0"
                      value={inputs[factor] ?? ''}
                      onChange={(e) => {
                        const value = e.currentTarget.value;
                        setInputs((v) => ({ ...v, [factor]: value }));
                      }}
                    />
                  ))}
                </SimpleGrid>
              ) : (
                <SimpleGrid cols={2} spacing="xs">
                  <TextInput
                    size="xs"
                    type="date"
                    label="From"
                    value={start}
                    onChange={(e) => setStart(e.currentTarget.value)}
                  />
                  <TextInput
                    size="xs"
                    type="date"
                    label="To"
                    value={end}
                    onChange={(e) => setEnd(e.currentTarget.value)}
                  />
                </SimpleGrid>
              )}
              {(create.isError || remove.isError) && (
                <Alert color="red" role="alert">
                  {messageOf(create.error ?? remove.error)}
                </Alert>
              )}
              <Group>
                <Button
                  type="submit"
                  size="xs"
                  leftSection={<IconPlus size={14} />}
                  disabled={!ready}
                  loading={create.isPending}
                >
                  Create scenario
                </Button>
              </Group>
            </Stack>
          </form>
        </Stack>
      )}
    </QueryCard>
  );
}
