/**
 * Builds the consent banner (src/banner) into one minified, dependency-free file,
 * dist/banner/banner.js, which the server serves as GET /c/banner.js.
 *
 *   npm run build:banner
 *
 * The file is written to a temporary name and renamed, so a test or a server reading it
 * never sees half a file.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const BANNER_ENTRY = join(ROOT, 'src/banner/main.ts');
export const BANNER_OUTFILE = join(ROOT, 'dist/banner/banner.js');

/** Builds the banner and returns its size in bytes (before compression). */
export async function buildBanner(outfile = BANNER_OUTFILE): Promise<number> {
  const result = await build({
    entryPoints: [BANNER_ENTRY],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15.4'],
    legalComments: 'none',
    charset: 'utf8',
    write: false,
    logLevel: 'warning',
  });
  const code = result.outputFiles[0]!.contents;
  mkdirSync(dirname(outfile), { recursive: true });
  const temporary = `${outfile}.${process.pid}.tmp`;
  writeFileSync(temporary, code);
  renameSync(temporary, outfile);
  return code.byteLength;
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stat.mtimeMs);
}

/** Builds the banner unless dist/banner/banner.js is newer than src/banner and the contract (for tests). */
export async function ensureBannerBuilt(): Promise<void> {
  const sources = [
    join(ROOT, 'src/banner'),
    join(ROOT, 'src/shared/consent-banner.ts'),
    fileURLToPath(import.meta.url),
  ];
  if (existsSync(BANNER_OUTFILE) && sources.every((s) => newestMtime(s) <= statSync(BANNER_OUTFILE).mtimeMs)) return;
  await buildBanner();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const bytes = await buildBanner();
  console.log(`dist/banner/banner.js: ${bytes} bytes`);
}
