import type { JobType } from './schema/enums.ts';

/** A run of this job type and scope is already queued or running (batch_runs' unique scope). */
export class JobAlreadyActiveError extends Error {
  constructor(
    readonly jobType: JobType,
    readonly scopeKey: string,
  ) {
    super(`A ${jobType} run for ${scopeKey} is already queued or running`);
    this.name = 'JobAlreadyActiveError';
  }
}
