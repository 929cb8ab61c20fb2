import type { Command } from 'commander';
import {
  calculatePortfolio,
  type CalculatePortfolioResult,
} from '../../pipeline/onboarding/calculate-portfolio.ts';
import { DEMO_ADMIN, DEMO_USER } from '../../pipeline/demo/demo-portfolios.ts';
import { seedDemo } from '../../pipeline/demo/seed-demo.ts';
import { openCliContext } from '../open-cli-context.ts';

const money = (x: number | null | undefined) =>
  x === null || x === undefined
    ? '—'
    : x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function registerDemoCommand(program: Command): void {
  const demo = program.command('demo').description('the demo users and portfolios');

  demo
    .command('seed')
    .description(
      `create ${DEMO_USER.email} / ${DEMO_ADMIN.email} and the five demo books, then calculate them (does nothing when the demo user already has a password)`,
    )
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const cli = await openCliContext();
      try {
        const pipeline = await cli.pipeline();
        const results = new Map<string, CalculatePortfolioResult>();
        const started = performance.now();
        const seeded = await seedDemo(pipeline, {
          today: new Date().toISOString().slice(0, 10),
          calculate: async (id) => {
            results.set(id, await calculatePortfolio(pipeline, id, { triggeredBy: 'demo_seed' }));
          },
        });
        const seconds = (performance.now() - started) / 1000;
        if (!seeded.seeded) {
          if (opts.json) console.log(JSON.stringify({ ...seeded, seconds }, null, 2));
          else console.log(`The demo already exists (${DEMO_USER.email}); nothing was created.`);
          return;
        }
        const books = seeded.portfolios.map((p) => {
          const r = results.get(p.id);
          return {
            ...p,
            status: r?.status ?? 'failed',
            date: r?.date ?? null,
            nav: r?.refresh?.netAssetValue ?? null,
            error:
              r?.error ?? seeded.calculationFailures.find((f) => f.portfolioId === p.id)?.error,
          };
        });
        if (opts.json) {
          console.log(JSON.stringify({ ...seeded, portfolios: books, seconds }, null, 2));
        } else {
          console.log(`Demo seeded in ${seconds.toFixed(1)} s.`);
          console.log(
            `  log in as ${DEMO_USER.email} / ${DEMO_USER.password}` +
              (seeded.demoUserClaimed ? ' (password set on the existing CLI user)' : ''),
          );
          if (seeded.adminCreated)
            console.log(`  admin: ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`);
          const width = Math.max(...books.map((b) => b.name.length));
          for (const b of books) {
            console.log(
              `  ${b.name.padEnd(width)}  ${String(b.positions).padStart(3)} positions  ${b.status.padEnd(9)}  NAV ${money(b.nav)}${b.date ? ` on ${b.date}` : ''}${b.error ? `  error: ${b.error}` : ''}`,
            );
          }
          for (const account of seeded.skippedAccounts)
            console.log(`  skipped account ${account}: the demo user already has it`);
        }
        if (books.some((b) => b.status === 'failed')) process.exitCode = 1;
      } finally {
        await cli.close();
      }
    });
}
