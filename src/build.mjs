// @ts-check
/**
 * `npm start`'s first step (package.json `prestart`): src/ as plain JavaScript in dist/, so that the app runs
 * without tsx's module loader, which Node 20 keeps on a thread of its own for the process's lifetime: about
 * 50 MiB of resident memory (BENCHMARKS.md). Each TypeScript file is transpiled on its own with esbuild (types
 * stripped, nothing bundled, no type checking: `npm test` type-checks), and the other files beside them (PGlite's
 * worker, its template) are copied, so that paths relative to a module hold in dist/ as in src/.
 *
 * A file is written only when its content changed, each through a temporary file and a rename: another instance
 * running from dist/ (or starting at the same moment) never reads half a file. Takes about 0.3 s.
 *
 * Plain JavaScript on purpose: it runs before anything can be compiled.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const SRC = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(SRC, '..', 'dist');
const SELF = path.basename(fileURLToPath(import.meta.url));

/** @param {string} dir @returns {Promise<string[]>} the files under `dir`, relative to SRC */
const filesUnder = async (dir) => {
  const found = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(full)));
    else if (entry.isFile()) found.push(path.relative(SRC, full));
  }
  return found;
};

/** @param {string} file @param {Buffer} content @returns {Promise<boolean>} whether it was written */
const writeIfChanged = async (file, content) => {
  const old = await readFile(file).catch(() => null);
  if (old?.equals(content)) return false;
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, file);
  return true;
};

const started = performance.now();
let written = 0;
const files = (await filesUnder(SRC)).filter((f) => f !== SELF);
await Promise.all(
  files.map(async (rel) => {
    const source = await readFile(path.join(SRC, rel));
    let target = path.join(OUT, rel);
    let content = source;
    if (rel.endsWith('.ts')) {
      target = target.replace(/\.ts$/, '.js');
      const { code } = await transform(source.toString('utf8'), {
        loader: 'ts',
        format: 'esm',
        target: 'node20',
        sourcefile: path.join('src', rel),
      });
      content = Buffer.from(code);
    }
    if (await writeIfChanged(target, content)) written++;
  }),
);
if (process.argv.includes('--verbose')) {
  const ms = Math.round(performance.now() - started);
  process.stderr.write(`build: ${files.length} files in dist/, ${written} written, ${ms} ms\n`);
}
