import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';

export class DatabaseLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database at ${dataDir} is in use by process ${pid}. ` +
        'Stop that process, or point DATABASE_URL at a PostgreSQL server to share one database.',
    );
    this.name = 'DatabaseLockedError';
  }
}

/** Directories this process holds: a second open from the same process is refused too. */
const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), or null where
 * there is no /proc. A pid is reused; a pid together with its start time is not.
 */
export function processStartTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: count after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

/** Milliseconds since the epoch at which the process started, or null without /proc. */
function processStartMs(pid: number): number | null {
  const ticks = processStartTicks(pid);
  if (ticks === null) return null;
  try {
    const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    // USER_HZ is 100 on every Linux architecture Node runs on.
    return btime ? Number(btime[1]) * 1000 + ticks * 10 : null;
  } catch {
    return null;
  }
}

interface LockHolder {
  pid: number;
  /** Start ticks recorded with the pid; absent in locks written by older versions (pid only). */
  startTicks: number | null;
}

export function parseLockFile(text: string): LockHolder | null {
  const [pidText, ticksText] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const ticks = ticksText === undefined ? null : Number(ticksText);
  return { pid, startTicks: ticks !== null && Number.isFinite(ticks) ? ticks : null };
}

/**
 * Whether the lock file still names a running holder. Only a live process that is the very one
 * that wrote the lock counts: the pid must be alive, must not be this process (this process
 * knows what it holds), and must have the start time the lock recorded — or, for a lock that
 * recorded none, must have started before the lock file was written.
 */
export function lockIsHeld(holder: LockHolder, lockWrittenAtMs: number): boolean {
  if (holder.pid === process.pid) return false;
  if (!isAlive(holder.pid)) return false;
  if (holder.startTicks !== null) {
    const ticks = processStartTicks(holder.pid);
    return ticks === null ? true : ticks === holder.startTicks;
  }
  const startedAt = processStartMs(holder.pid);
  // A second of slack: the clock-tick start time and the file time are not the same clock.
  return startedAt === null ? true : startedAt <= lockWrittenAtMs + 1_000;
}

/**
 * A pid file beside the PGlite directory, holding the pid and that process's start time. A lock
 * left by a crashed process is taken over — also when its pid now belongs to another process,
 * the new server itself included (a container's node often gets the same pid on every start);
 * a live holder is reported by pid. Returns the release function.
 */
export function acquireDirectoryLock(dataDir: string): () => void {
  const lockPath = `${dataDir}.lock`;
  if (heldHere.has(lockPath)) throw new DatabaseLockedError(dataDir, process.pid);
  const content = `${process.pid} ${processStartTicks(process.pid) ?? ''}`.trim();
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath, content, { flag: 'wx' });
      heldHere.add(lockPath);
      const release = () => {
        process.off('exit', release);
        heldHere.delete(lockPath);
        rmSync(lockPath, { force: true });
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: LockHolder | null = null;
      let writtenAt = 0;
      try {
        holder = parseLockFile(readFileSync(lockPath, 'utf8'));
        writtenAt = statSync(lockPath).mtimeMs;
      } catch (readError) {
        // Removed between our write and our read: try again.
        if ((readError as NodeJS.ErrnoException).code !== 'ENOENT') throw readError;
      }
      if (holder && lockIsHeld(holder, writtenAt)) {
        throw new DatabaseLockedError(dataDir, holder.pid);
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}
