import { spawn } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, brotliDecompressSync, constants, createBrotliDecompress } from 'node:zlib';
import type { Transaction } from '@electric-sql/pglite';

/**
 * An empty PGlite cluster (what initdb writes), shipped as a brotli-compressed tar. PGlite runs initdb on an empty
 * data directory in a second WASM instance next to the first, and the process peaks near 900 MiB once; a new
 * directory is filled from this template instead, before PGlite opens it, and the first start costs what any
 * other start costs. The template is tied to the PGlite version that wrote it (the cluster's catalog is); with any
 * other version PGlite's own initdb runs, as before. The template also holds the schema (see writeTemplate).
 * Regenerate after a PGlite upgrade (test/store/pglite-template.test.ts says when), or to include new migrations:
 * `npx tsx src/store/pglite-template.ts`.
 */
export const TEMPLATE_FILE = fileURLToPath(new URL('./pglite-template.tar.br', import.meta.url));
export const TEMPLATE_META = fileURLToPath(new URL('./pglite-template.json', import.meta.url));

/** Which PGlite wrote the template, and the migrations applied in it (src/store/migrations.ts). */
type TemplateMeta = { pglite: string; tarBytes: number; migrations: number[] };

/** The installed PGlite's version (its package.json, next to its entry point). */
export function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  let dir = path.dirname(require.resolve('@electric-sql/pglite'));
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === '@electric-sql/pglite' && pkg.version) return pkg.version;
    } catch {
      // not here: one level up
    }
    dir = path.dirname(dir);
  }
  throw new Error('cannot find the version of @electric-sql/pglite');
}

/** Whether the data directory holds a cluster already (PG_VERSION is written last, also by the template). */
export async function hasCluster(dataDir: string): Promise<boolean> {
  return access(path.join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
}

type TarEntry = { name: string; type: 'file' | 'dir'; mode: number; data: Uint8Array };
type TarHeader = Omit<TarEntry, 'data'> & { size: number };

/** One ustar header block (what PGlite's dumpDataDir writes); null for the zero block that ends the archive. */
function tarHeader(block: Uint8Array): TarHeader | null {
  if (block.every((b) => b === 0)) return null;
  const text = (from: number, to: number) =>
    Buffer.from(block.subarray(from, to))
      .toString('utf8')
      .replace(/\0[\s\S]*$/, '');
  const prefix = text(345, 500);
  const base = text(0, 100);
  const name = prefix ? `${prefix}/${base}` : base;
  const size = Number.parseInt(text(124, 136).trim() || '0', 8);
  const mode = Number.parseInt(text(100, 108).trim() || '0', 8);
  const flag = String.fromCharCode(block[156] ?? 0);
  if (!Number.isSafeInteger(size) || size < 0) throw new Error(`a bad tar header for ${name}`);
  if (flag === '5') return { name, type: 'dir', mode, size };
  if (flag === '0' || flag === '\0') return { name, type: 'file', mode, size };
  throw new Error(`unexpected tar entry type ${JSON.stringify(flag)} for ${name}`);
}

const blocks = (size: number) => 512 + Math.ceil(size / 512) * 512;

/** The entries of a ustar archive in memory. */
export function* tarEntries(tar: Uint8Array): Generator<TarEntry> {
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tarHeader(tar.subarray(offset, offset + 512));
    if (!header) return;
    yield { ...header, data: tar.subarray(offset + 512, offset + 512 + header.size) };
    offset += blocks(header.size);
  }
}

/**
 * The entries of a ustar archive as it streams in: each entry is held once it is whole (the largest, a WAL
 * segment, is 16 MB), never the whole archive.
 */
export async function* streamTarEntries(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<TarEntry> {
  let parts: Uint8Array[] = [];
  let have = 0;
  let need = 512;
  for await (const chunk of chunks) {
    parts.push(chunk);
    have += chunk.length;
    if (have < need) continue;
    const buf = Buffer.concat(parts, have);
    let offset = 0;
    for (;;) {
      if (buf.length - offset < 512) {
        need = 512;
        break;
      }
      const header = tarHeader(buf.subarray(offset, offset + 512));
      if (!header) return;
      if (buf.length - offset < blocks(header.size)) {
        need = blocks(header.size);
        break;
      }
      // A copy: the entry must not keep the chunk it came in alive.
      yield {
        ...header,
        data: Uint8Array.prototype.slice.call(buf, offset + 512, offset + 512 + header.size),
      };
      offset += blocks(header.size);
    }
    const rest = buf.subarray(offset);
    parts = rest.length > 0 ? [rest] : [];
    have = rest.length;
  }
  if (have > 0) throw new Error('the tar archive ends in the middle of an entry');
}

/** The template's entries, decompressed as they are read; null when there is none for the installed PGlite. */
async function templateEntries(): Promise<AsyncGenerator<TarEntry> | null> {
  try {
    const meta = JSON.parse(await readFile(TEMPLATE_META, 'utf8')) as TemplateMeta;
    if (meta.pglite !== pgliteVersion()) return null;
    await access(TEMPLATE_FILE);
  } catch {
    return null;
  }
  return streamTarEntries(createReadStream(TEMPLATE_FILE).pipe(createBrotliDecompress()));
}

/** The template as a tar (about 40 MB), or null when there is none for the installed PGlite. */
export async function templateTar(): Promise<Uint8Array | null> {
  try {
    const meta = JSON.parse(await readFile(TEMPLATE_META, 'utf8')) as TemplateMeta;
    if (meta.pglite !== pgliteVersion()) return null;
    return brotliDecompressSync(await readFile(TEMPLATE_FILE));
  } catch {
    return null;
  }
}

/**
 * Fills an empty data directory from the template in a short-lived child process (this file, with `--fill`):
 * unpacking 40 MB in this process would raise its peak memory for good (the allocator keeps what it had). False,
 * with nothing written, when there is no template for the installed PGlite.
 */
export async function fillFromTemplate(dataDir: string): Promise<boolean> {
  const self = fileURLToPath(import.meta.url);
  // Run from source (tsx, vitest): the child needs tsx's loader too.
  // (by its path: the working directory may be anywhere).
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const args = self.endsWith('.ts') ? ['--import', tsx, self] : [self];
  const child = spawn(process.execPath, [...args, '--fill', path.resolve(dataDir)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: process.env,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  });
  if (code === 0) return true;
  if (code === NO_TEMPLATE) return false;
  throw new Error(`filling ${dataDir} from the PGlite template failed (exit ${code}): ${stderr.trim()}`);
}

/** The child's exit code when there is no template for the installed PGlite. */
const NO_TEMPLATE = 3;

/** What the child does: the template's entries written out, streamed. PG_VERSION goes last (see hasCluster). */
async function fillHere(dataDir: string): Promise<boolean> {
  const entries = await templateEntries();
  if (!entries) return false;
  const root = path.resolve(dataDir);
  let last: { file: string; data: Uint8Array; mode: number } | null = null;
  for await (const entry of entries) {
    const target = path.resolve(root, `.${path.posix.sep}${entry.name}`);
    if (target !== root && !target.startsWith(`${root}${path.sep}`))
      throw new Error(`template entry outside the data directory: ${entry.name}`);
    if (entry.type === 'dir') {
      await mkdir(target, { recursive: true, mode: 0o700 });
      continue;
    }
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const mode = entry.mode & 0o600 ? entry.mode & 0o777 : 0o600;
    if (path.relative(root, target) === 'PG_VERSION') last = { file: target, data: entry.data, mode };
    else await writeFile(target, entry.data, { mode });
  }
  if (!last) throw new Error('the PGlite template has no PG_VERSION');
  await writeFile(last.file, last.data, { mode: last.mode });
  return true;
}

/**
 * Runs initdb once (PGlite in memory), applies the migrations of this checkout, and writes the template and its
 * version beside this file. The migrations are in it because applying them all in one transaction on a new
 * cluster grows PGlite's WASM memory by about 100 MiB, for good (WASM memory is never given back); a migration
 * added later is applied at the first start as usual.
 */
export async function writeTemplate(): Promise<{ bytes: number; tarBytes: number; migrations: number[] }> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { migrate } = await import('./migrations.js');
  const lite = await PGlite.create();
  try {
    const rows = async <T>(q: Pick<Transaction, 'query'>, text: string, params?: readonly unknown[]) =>
      (await q.query<T>(text, params ? [...params] : undefined)).rows;
    const migrations = await migrate({
      kind: 'pglite',
      query: (text, params) => rows(lite, text, params),
      transaction: (fn) => lite.transaction((tx) => fn({ query: (text, params) => rows(tx, text, params) })),
      execute: () => Promise.reject(new Error('not needed by the migrations')),
      close: () => lite.close(),
    });
    await lite.exec('CHECKPOINT');
    const tar = new Uint8Array(await (await lite.dumpDataDir('none')).arrayBuffer());
    // A long window: the three databases of an empty cluster are nearly the same bytes.
    const packed = brotliCompressSync(tar, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_LGWIN]: 24,
        [constants.BROTLI_PARAM_SIZE_HINT]: tar.length,
      },
    });
    await writeFile(TEMPLATE_FILE, packed);
    const meta: TemplateMeta = { pglite: pgliteVersion(), tarBytes: tar.length, migrations };
    await writeFile(TEMPLATE_META, `${JSON.stringify(meta)}\n`);
    return { bytes: packed.length, tarBytes: tar.length, migrations };
  } finally {
    await lite.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const fill = process.argv.indexOf('--fill');
  if (fill > 0) {
    const dir = process.argv[fill + 1];
    if (!dir) throw new Error('--fill needs a directory');
    process.exit((await fillHere(dir)) ? 0 : NO_TEMPLATE);
  }
  const { bytes, tarBytes, migrations } = await writeTemplate();
  process.stdout.write(
    `${TEMPLATE_FILE}: ${bytes} bytes (${tarBytes} bytes of tar), PGlite ${pgliteVersion()}, migrations ${migrations.join(', ')}\n`,
  );
}
