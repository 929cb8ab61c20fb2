/**
 * The phases of the fast onboarding path, as API.md names them: the run records them, the job
 * queue seeds a queued run's phases with them and the status endpoint reports them.
 */
export const ONBOARDING_PHASES = [
  { id: 'classify', name: 'Analyzing Portfolio', unit: 'symbols' },
  { id: 'symbol_processing', name: 'Processing New Symbols', unit: 'symbols' },
  { id: 'phase_4', name: 'Calculating P&L', unit: 'positions' },
  { id: 'phase_5', name: 'Aggregating Factors', unit: 'factors' },
  { id: 'phase_6', name: 'Running Stress Tests', unit: 'scenarios' },
] as const;
