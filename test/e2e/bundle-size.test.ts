/**
 * The dashboard's byte budget (architecture: "browser code has a byte budget checked in
 * CI"). React, react-dom and react-router are most of it (about 85 kB gzipped); the
 * dashboard's own code and CSS must stay small. Raise a budget only on purpose.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDashboardBuilt } from '../helpers/browser.js';

const ASSETS = fileURLToPath(new URL('../../dist/web/assets/', import.meta.url));
const BUDGET_GZIP = { js: 110 * 1024, css: 8 * 1024 };

function sizes(extension: string): { raw: number; gzip: number; files: number } {
  const files = readdirSync(ASSETS).filter((name) => name.endsWith(extension));
  let raw = 0;
  let gzip = 0;
  for (const name of files) {
    const bytes = readFileSync(join(ASSETS, name));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gzip, files: files.length };
}

describe('dashboard bundle', () => {
  beforeAll(async () => {
    await ensureDashboardBuilt();
  }, 180_000);

  it('keeps the JavaScript within its gzip budget', () => {
    const js = sizes('.js');
    expect(js.files).toBeGreaterThan(0);
    expect(js.gzip, `JS is ${js.raw} bytes, ${js.gzip} gzipped`).toBeLessThanOrEqual(BUDGET_GZIP.js);
  });

  it('keeps the CSS within its gzip budget', () => {
    const css = sizes('.css');
    expect(css.files).toBe(1);
    expect(css.gzip, `CSS is ${css.raw} bytes, ${css.gzip} gzipped`).toBeLessThanOrEqual(BUDGET_GZIP.css);
  });

  it('ships no source maps or inline scripts', () => {
    expect(readdirSync(ASSETS).filter((name) => name.endsWith('.map'))).toEqual([]);
    const html = readFileSync(join(ASSETS, '../index.html'), 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=/);
  });
});
