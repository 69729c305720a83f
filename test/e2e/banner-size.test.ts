/**
 * The consent banner's byte budget (issue 6): dist/banner/banner.js — script and stylesheet in
 * one file — must stay within 8 KiB at gzip level 9, and so must the script together with the
 * English and Welsh texts a site serves in its configuration (the fixture site's, and the server's
 * defaults). For comparison: vanilla-cookieconsent 3.1 is 15.5 KB and
 * blocks only scripts. Figures are in docs/benchmarks.md ("Consent banner size").
 *
 * It also checks what the browser tests cannot see cheaply: the file is self-contained (no
 * import, no require), never parses markup from strings and never writes inline styles.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { BANNER_OUTFILE, ensureBannerBuilt } from '../../scripts/build-banner.js';
import { DEFAULT_TEXTS } from '../../src/domain/consent-sites.js';
import { CY, EN } from '../fixtures/banner-site/config.js';

const BUDGET = 8 * 1024;
const gzip = (data: string | Buffer): number => gzipSync(data, { level: 9 }).length;

describe('consent banner size', () => {
  let code = '';

  beforeAll(async () => {
    await ensureBannerBuilt();
    code = readFileSync(BANNER_OUTFILE, 'utf8');
  }, 60_000);

  it('keeps the script and its stylesheet within 8 KiB at gzip -9', () => {
    const size = gzip(code);
    console.log(`banner.js: ${code.length} bytes, ${size} bytes gzip -9`);
    expect(size).toBeLessThanOrEqual(BUDGET);
  });

  it('keeps the script with the English and Welsh texts within 8 KiB at gzip -9', () => {
    const size = gzip(code + JSON.stringify({ en: EN, cy: CY }));
    console.log(`banner.js + en/cy texts: ${size} bytes gzip -9`);
    expect(size).toBeLessThanOrEqual(BUDGET);
  });

  it('keeps the script with the server’s default English and Welsh texts within 8 KiB at gzip -9', () => {
    const size = gzip(code + JSON.stringify(DEFAULT_TEXTS));
    console.log(`banner.js + default en/cy texts: ${size} bytes gzip -9`);
    expect(size).toBeLessThanOrEqual(BUDGET);
  });

  it('is one self-contained file with its CSS, no markup parsing and no inline styles', () => {
    expect(code).not.toMatch(/\bimport\s*[({'"]|\brequire\(/);
    expect(code).toContain('.cvb-b');
    expect(code).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    expect(code).not.toMatch(/\.style\.|setAttribute\(\s*["']style/);
  });
});
