import { boundMessage } from './run-messages.ts';
import type {
  ActivityEntry,
  BatchRunRepository,
  PhaseProgress,
  RunError,
} from '../db/repositories/batch-run-repository.ts';
import type { Logger } from '../logger.ts';

const FLUSH_INTERVAL_MS = 500;

/**
 * Progress of one run: phases with current/total/unit and durations, an activity log and
 * errors, written to `batch_runs` (throttled) so any process can report status.
 */
/** Errors a run lists in full; a status poll reads them all. */
export const MAX_RUN_ERRORS = 200;

export class RunRecorder {
  readonly phases: PhaseProgress[];
  private pendingLog: ActivityEntry[] = [];
  private pendingErrors: RunError[] = [];
  private readonly startedAt = new Map<string, number>();
  private lastFlush = 0;
  private errorCount = 0;

  constructor(
    private readonly repo: BatchRunRepository,
    readonly runId: string,
    phases: readonly { id: string; name: string; unit: string }[],
    private readonly logger?: Logger,
  ) {
    this.phases = phases.map((p) => ({
      ...p,
      status: 'pending',
      current: 0,
      total: 0,
      duration_ms: null,
    }));
  }

  get errorsRecorded(): number {
    return this.errorCount;
  }

  private phase(id: string): PhaseProgress {
    const p = this.phases.find((x) => x.id === id);
    if (!p) throw new Error(`unknown phase ${id}`);
    return p;
  }

  log(text: string, level: ActivityEntry['level'] = 'info'): void {
    const message = boundMessage(text);
    this.pendingLog.push({ timestamp: new Date().toISOString(), level, message });
    if (this.logger) {
      const method = level === 'warning' ? 'warn' : level;
      this.logger[method]({ run: this.runId }, message);
    }
  }

  /**
   * Records an error. A run keeps the first MAX_RUN_ERRORS in full (messages bounded); later
   * ones are counted, and one entry says how many were left out.
   */
  error(error: RunError): void {
    this.errorCount++;
    if (this.errorCount <= MAX_RUN_ERRORS) {
      this.pendingErrors.push({ ...error, message: boundMessage(error.message) });
    } else if (this.errorCount === MAX_RUN_ERRORS + 1) {
      this.pendingErrors.push({
        phase: error.phase,
        code: 'more_errors',
        message: `more than ${MAX_RUN_ERRORS} errors: the rest are counted in the log, not listed`,
      });
    }
  }

  async start(id: string, total: number): Promise<void> {
    const p = this.phase(id);
    p.status = 'running';
    p.total = total;
    p.current = 0;
    this.startedAt.set(id, performance.now());
    await this.flush();
  }

  async progress(id: string, current: number): Promise<void> {
    this.phase(id).current = current;
    if (performance.now() - this.lastFlush >= FLUSH_INTERVAL_MS) await this.flush();
  }

  async complete(
    id: string,
    status: 'completed' | 'failed' = 'completed',
    detail?: string,
  ): Promise<void> {
    const p = this.phase(id);
    p.status = status;
    if (status === 'completed') p.current = p.total;
    const started = this.startedAt.get(id);
    p.duration_ms = started === undefined ? 0 : Math.round(performance.now() - started);
    if (detail) p.detail = detail;
    await this.flush();
  }

  async skip(id: string, reason: string): Promise<void> {
    const p = this.phase(id);
    p.status = 'skipped';
    p.duration_ms = 0;
    p.detail = reason;
    this.log(`${p.name}: skipped — ${reason}`);
    await this.flush();
  }

  async flush(): Promise<void> {
    const log = this.pendingLog;
    const errors = this.pendingErrors;
    this.pendingLog = [];
    this.pendingErrors = [];
    this.lastFlush = performance.now();
    await this.repo.saveProgress(this.runId, { phases: this.phases, log, errors });
  }
}
