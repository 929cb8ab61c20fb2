import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { createLogger } from '../../logger.ts';
import { startServer } from '../../server.ts';
import { surviveLostConnections } from '../lost-connection-guard.ts';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('start the HTTP server (embedded database unless DATABASE_URL is set)')
    .option('-p, --port <port>', 'port to listen on (overrides PORT)')
    .action(async (opts: { port?: string }) => {
      const config = loadConfig(opts.port ? { ...process.env, PORT: opts.port } : process.env);
      const logger = createLogger(config.logLevel);
      const running = await startServer(config, logger);
      let stopping = false;
      const shutdown = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'shutting down');
        await running.stop();
        process.exit(0);
      };
      // On PostgreSQL with BETABOARD_WORKER=on, serve works jobs as a worker does.
      surviveLostConnections(logger, () => stopping);
      process.on('SIGINT', () => void shutdown('SIGINT'));
      process.on('SIGTERM', () => void shutdown('SIGTERM'));
      try {
        await running.ready;
        logger.info(`ready: http://localhost:${running.port}/health/ready`);
      } catch (error) {
        logger.fatal({ err: error }, `database start-up failed: ${(error as Error).message}`);
        await running.stop();
        process.exit(1);
      }
    });
}
