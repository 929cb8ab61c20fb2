import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Folders of test/unit and test/integration that name a topic rather than a directory of src/:
 * tests that span several modules. Keep this list short and in the README's test section.
 */
const TOPIC_FOLDERS = ['integration/restart'];

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? testFiles(full) : [full];
  });
}

/** test/unit and test/integration mirror src/: a test of src/X/Y.ts lives in test/…/X/. */
it('every unit and integration test sits in a folder that mirrors a directory of src/', () => {
  const misplaced: string[] = [];
  for (const kind of ['unit', 'integration']) {
    for (const file of testFiles(path.join(root, 'test', kind))) {
      if (!file.endsWith('.ts')) continue;
      const folder = path.relative(path.join(root, 'test', kind), path.dirname(file));
      if (folder === '') continue;
      const where = `${kind}/${folder}`;
      const topic = TOPIC_FOLDERS.some((t) => where === t || where.startsWith(`${t}/`));
      if (topic || existsSync(path.join(root, 'src', folder))) continue;
      misplaced.push(path.relative(root, file));
    }
  }
  expect(misplaced).toEqual([]);
});
