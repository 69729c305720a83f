/**
 * The dashboard's byte budgets (architecture: "browser code has a byte budget checked in
 * CI"), and how the server serves the files.
 *
 * Pages are split by route (src/web/app.tsx, src/web/components/page-loader.tsx), so the
 * budgets follow what a browser downloads:
 * - entry: a first visit — the script index.html loads and every chunk it imports (index.html
 *   preloads them). React, react-dom and react-router are most of it (about 85 kB gzipped);
 *   the session, the sign-in page, the page frames and the campaign navigation are the rest.
 *   91.8 KiB with the issue 3 pages (the single bundle before the split was 108.6 KiB); the
 *   budget leaves about 8 KiB for the frame to grow. Page code belongs in a page chunk.
 * - page: the first visit to one page — its chunk and the shared chunks it imports that the
 *   entry does not already hold. The largest, the person record, is 8.5 KiB; a page that
 *   needs more than the budget should be split, or question its dependencies.
 * - total: every chunk together, the whole dashboard: 134.8 KiB with the issue 3 pages, 152 KiB
 *   once the DPIA pages arrived (each chunk compresses on its own, so splitting costs a little).
 *   The budget leaves room for the areas still to come (audiences, messages, website consent,
 *   rights requests); it bounds the whole, while the entry and page budgets bound what a visit
 *   downloads.
 * - CSS: one stylesheet for every page (3.8 KiB).
 * Sizes are gzip level 9, each file on its own. Raise a budget only on purpose, and update
 * the figures above and in docs/development.md ("Dashboard pages and byte budgets").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMMUTABLE_MAX_AGE_SECONDS } from '../../src/http/server.js';
import { ensureDashboardBuilt } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const WEB = fileURLToPath(new URL('../../dist/web/', import.meta.url));
const ASSETS = join(WEB, 'assets');
const APP_SOURCE = fileURLToPath(new URL('../../src/web/app.tsx', import.meta.url));

const KiB = 1024;
const BUDGET_GZIP = {
  entryJs: 100 * KiB,
  pageJs: 20 * KiB,
  totalJs: 200 * KiB,
  css: 8 * KiB,
};

const gzipSize = (name: string): number => gzipSync(readFileSync(join(ASSETS, name)), { level: 9 }).length;

/** The chunks a chunk imports statically (`import … from"./x.js"`, `import"./x.js"`); dynamic imports are not followed. */
function staticImports(name: string): string[] {
  const code = readFileSync(join(ASSETS, name), 'utf8');
  return [...code.matchAll(/\b(?:from|import)\s*["']\.\/([\w.-]+\.js)["']/g)].map((m) => m[1]!);
}

/** `names` and every chunk they import statically, transitively. */
function closure(names: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...names];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    queue.push(...staticImports(name));
  }
  return seen;
}

const sum = (names: Iterable<string>): number => [...names].reduce((total, name) => total + gzipSize(name), 0);
const kib = (bytes: number): string => `${(bytes / KiB).toFixed(1)} KiB`;

describe('dashboard bundle', () => {
  let html = '';
  let js: string[] = [];
  let entry = new Set<string>();

  beforeAll(async () => {
    await ensureDashboardBuilt();
    html = readFileSync(join(WEB, 'index.html'), 'utf8');
    js = readdirSync(ASSETS).filter((name) => name.endsWith('.js'));
    const script = [...html.matchAll(/<script type="module"[^>]*\bsrc="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
    expect(script, 'index.html loads one entry script').toHaveLength(1);
    entry = closure(script);
  }, 180_000);

  it('keeps what a first visit downloads within the entry budget, all of it preloaded', () => {
    const size = sum(entry);
    expect(size, `entry chunks ${[...entry].join(', ')}: ${kib(size)} gzipped`).toBeLessThanOrEqual(
      BUDGET_GZIP.entryJs,
    );
    // Every chunk the entry imports is preloaded by index.html, so none waits for another.
    const preloaded = [...html.matchAll(/<link rel="modulepreload"[^>]*\bhref="\/assets\/([^"]+\.js)"/g)].map(
      (m) => m[1]!,
    );
    expect(new Set(preloaded)).toEqual(new Set([...entry].filter((name) => !html.includes(`src="/assets/${name}"`))));
  });

  it('loads every page of the route table lazily, in a chunk of its own', () => {
    const source = readFileSync(APP_SOURCE, 'utf8');
    const modules = [...new Set([...source.matchAll(/import\('\.\/pages\/([\w-]+)\.js'\)/g)].map((m) => m[1]!))];
    expect(modules.length).toBeGreaterThan(10);
    for (const module of modules) {
      const chunk = js.find((name) => name.startsWith(`${module}-`));
      expect(chunk, `a chunk for src/web/pages/${module}.tsx`).toBeDefined();
      expect(entry.has(chunk!), `${chunk} is not part of the entry`).toBe(false);
    }
  });

  it('keeps each page chunk, with the shared chunks it brings, within the page budget', () => {
    const pages = js.filter((name) => !entry.has(name));
    expect(pages.length).toBeGreaterThan(0);
    for (const page of pages) {
      const brought = [...closure([page])].filter((name) => !entry.has(name));
      const size = sum(brought);
      expect(size, `${brought.join(' + ')}: ${kib(size)} gzipped`).toBeLessThanOrEqual(BUDGET_GZIP.pageJs);
    }
  });

  it('keeps the whole dashboard within the total budget', () => {
    const size = sum(js);
    expect(size, `${js.length} chunks: ${kib(size)} gzipped`).toBeLessThanOrEqual(BUDGET_GZIP.totalJs);
  });

  it('keeps the CSS within its gzip budget', () => {
    const css = readdirSync(ASSETS).filter((name) => name.endsWith('.css'));
    expect(css).toHaveLength(1);
    const size = gzipSize(css[0]!);
    expect(size, `CSS is ${kib(size)} gzipped`).toBeLessThanOrEqual(BUDGET_GZIP.css);
  });

  it('ships no source maps or inline scripts', () => {
    expect(readdirSync(ASSETS).filter((name) => name.endsWith('.map'))).toEqual([]);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=/);
  });

  describe('served by the server', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ listen: false });
    });
    afterAll(async () => {
      await server?.close();
    });

    it('serves every chunk, cached for good since its name changes with its content', async () => {
      for (const name of [...js, ...readdirSync(ASSETS).filter((n) => n.endsWith('.css'))]) {
        const res = await server.app.inject({ method: 'GET', url: `/assets/${name}` });
        expect(res.statusCode, name).toBe(200);
        expect(res.headers['content-type'], name).toMatch(name.endsWith('.js') ? /javascript/ : /text\/css/);
        expect(res.headers['cache-control'], name).toBe(`public, max-age=${IMMUTABLE_MAX_AGE_SECONDS}, immutable`);
        expect(res.rawPayload.equals(readFileSync(join(ASSETS, name))), name).toBe(true);
      }
    });

    it('revalidates the page itself, and answers a missing chunk with 404 rather than the page', async () => {
      for (const url of ['/', '/c/00000000-0000-4000-8000-000000000000/people', '/index.html']) {
        const res = await server.app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(200);
        expect(res.headers['content-type'], url).toMatch(/text\/html/);
        expect(res.headers['cache-control'], url).toBe('no-cache');
      }
      const missing = await server.app.inject({ method: 'GET', url: '/assets/people-0ldBu1ld.js' });
      expect(missing.statusCode).toBe(404);
      expect(missing.headers['content-type']).not.toMatch(/text\/html/);
    });
  });
});
