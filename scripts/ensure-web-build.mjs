#!/usr/bin/env node
// Builds the web app (web/ → web/dist) when the build is missing or stale, so `npm start` and
// `npm test` serve what the sources say. "Stale" is judged by a SHA-256 over every input of the
// build (web/ sources, its config, package-lock.json), stored beside the build: modification
// times change on every checkout, a hash only when a file's content does.
// `--force` rebuilds anyway; `--check` only reports (exit 1 when a build is needed).
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'web');
const dist = path.join(web, 'dist');
const hashFile = path.join(dist, '.build-hash');

/** Files that can change the build's output: not tests, not the output itself. */
function buildInputs() {
  const files = [path.join(root, 'package-lock.json')];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (full !== dist && entry.name !== 'node_modules') walk(full);
      } else if (!/\.test\.tsx?$/.test(entry.name)) {
        files.push(full);
      }
    }
  };
  walk(web);
  return files.sort();
}

function sourceHash() {
  const hash = createHash('sha256');
  for (const file of buildInputs()) {
    hash.update(path.relative(root, file).split(path.sep).join('/'));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

const wanted = sourceHash();
const built = existsSync(hashFile) ? readFileSync(hashFile, 'utf8').trim() : null;
const force = process.argv.includes('--force');
if (!force && built === wanted && existsSync(path.join(dist, 'index.html'))) process.exit(0);
if (process.argv.includes('--check')) {
  console.log(built ? 'the web app build is stale' : 'the web app is not built');
  process.exit(1);
}

console.log(`[betaboard] building the web app (${built ? 'sources changed' : 'no build yet'})…`);
const started = Date.now();
const vite = path.join(root, 'node_modules', '.bin', 'vite');
const result = spawnSync(vite, ['build', '--config', path.join(web, 'vite.config.ts')], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  encoding: 'utf8',
});
if (result.status !== 0) {
  process.stdout.write(result.stdout ?? '');
  console.error('[betaboard] the web app build failed');
  process.exit(result.status ?? 1);
}
writeFileSync(hashFile, wanted + '\n');
console.log(`[betaboard] web app built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
