const CSV_HEADER =
  'Symbol,Quantity,Entry Price Per Share,Entry Date,Investment Class,Investment Subtype,Underlying Symbol,Strike Price,Expiration Date,Option Type,Exit Date,Exit Price Per Share';

export interface BenchPosition {
  symbol: string;
  quantity: number;
  entryPrice: number;
  entryDate: string;
}

interface StatusBody {
  status: string;
  elapsed_seconds: number | null;
  phases: { phase_id: string; status: string; duration_seconds: number | null }[];
  activity_log: { timestamp: string; message: string; level: string }[];
}

export interface OnboardingTiming {
  portfolioId: string;
  status: string;
  /** Upload sent → final status seen. */
  ms: number;
  /** The multipart create-portfolio request alone. */
  uploadMs: number;
  /** The calculate request alone. */
  calculateRequestMs: number;
  /** Status polls made until the final status, and how long the slowest one took. */
  polls: number;
  slowestPollMs: number;
  /** Each status the polls saw change to, with the ms since the upload was sent. */
  statusChanges: { ms: number; status: string }[];
  /** Seconds per onboarding phase, as the status reports them (null: not run). */
  phases: Record<string, number | null>;
  /** The run's own elapsed time as the status reports it. */
  serverElapsedSeconds: number | null;
  activityLog: StatusBody['activity_log'];
  /** Epoch ms of the run's first and last activity-log entries (the server's start and end). */
  serverStartedAt: number | null;
  serverFinishedAt: number | null;
}

const FINAL = new Set(['completed', 'partial', 'failed']);

const logTime = (entry: { timestamp: string } | undefined) =>
  entry ? Date.parse(entry.timestamp) : null;

/** A logged-in user of a running server, onboarding portfolios the way the web app does. */
export class OnboardingClient {
  private account = 0;

  private constructor(
    private readonly base: string,
    private readonly token: string,
    private readonly pollMs: number,
  ) {}

  /** Registers (if needed) and logs in over HTTP. */
  static async login(
    base: string,
    user: { email: string; password: string },
    options: { register?: boolean; pollMs?: number } = {},
  ): Promise<OnboardingClient> {
    const json = { 'content-type': 'application/json' };
    if (options.register ?? true) {
      await fetch(`${base}/auth/register`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify(user),
      });
    }
    const res = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(user),
    });
    if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    const { access_token } = (await res.json()) as { access_token: string };
    return new OnboardingClient(base, access_token, options.pollMs ?? 10);
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.base}${path}`, {
      ...init,
      headers: { ...init.headers, authorization: `Bearer ${this.token}` },
    });
  }

  /** Creates a portfolio from a CSV upload (no calculation); returns its id. */
  async upload(positions: readonly BenchPosition[]): Promise<string> {
    const rows = positions.map(
      (p) => `${p.symbol},${p.quantity},${p.entryPrice},${p.entryDate},PUBLIC,STOCK,,,,,,`,
    );
    const n = ++this.account;
    const form = new FormData();
    form.set('portfolio_name', `Bench ${n}`);
    form.set('account_name', `bench-${n}`);
    form.set('account_type', 'taxable');
    form.set('equity_balance', '1000000');
    form.set('csv_file', new File([[CSV_HEADER, ...rows].join('\n')], 'positions.csv'));
    const res = await this.request('/onboarding/create-portfolio', { method: 'POST', body: form });
    if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { portfolio_id: string; positions_failed: number };
    if (body.positions_failed > 0) throw new Error(`upload rejected ${body.positions_failed} rows`);
    return body.portfolio_id;
  }

  /** Upload → calculate → status polled every `pollMs` until the run finishes. */
  async onboard(positions: readonly BenchPosition[]): Promise<OnboardingTiming> {
    const t0 = performance.now();
    const portfolioId = await this.upload(positions);
    const t1 = performance.now();
    const calc = await this.request(`/portfolios/${portfolioId}/calculate`, { method: 'POST' });
    if (calc.status !== 202)
      throw new Error(`calculate failed: ${calc.status} ${await calc.text()}`);
    await calc.body?.cancel();
    const t2 = performance.now();
    let slowestPollMs = 0;
    const statusChanges: OnboardingTiming['statusChanges'] = [];
    for (let polls = 1; ; polls++) {
      const sent = performance.now();
      const res = await this.request(`/onboarding/status/${portfolioId}`);
      const status = (await res.json()) as StatusBody;
      slowestPollMs = Math.max(slowestPollMs, performance.now() - sent);
      if (statusChanges.at(-1)?.status !== status.status)
        statusChanges.push({ ms: performance.now() - t0, status: status.status });
      if (FINAL.has(status.status)) {
        return {
          portfolioId,
          status: status.status,
          ms: performance.now() - t0,
          uploadMs: t1 - t0,
          calculateRequestMs: t2 - t1,
          polls,
          slowestPollMs,
          statusChanges,
          phases: Object.fromEntries(status.phases.map((p) => [p.phase_id, p.duration_seconds])),
          serverElapsedSeconds: status.elapsed_seconds,
          activityLog: status.activity_log,
          serverStartedAt: logTime(status.activity_log[0]),
          serverFinishedAt: logTime(status.activity_log.at(-1)),
        };
      }
      await new Promise((r) => setTimeout(r, this.pollMs));
    }
  }
}
