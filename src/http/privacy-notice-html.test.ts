import { describe, expect, it } from 'vitest';
import type { NoticeDocument } from '../domain/privacy-notice.js';
import {
  escapeHtml,
  formatNoticeDate,
  NOTICE_CSS_PATH,
  renderHistoryPage,
  renderMessagePage,
  renderNoticePage,
} from './privacy-notice-html.js';

const doc = (overrides: Partial<NoticeDocument> = {}): NoticeDocument => ({
  format: 1,
  language: 'en',
  title: 'Privacy notice: <Riverside> & "Greens"',
  controllerName: 'Riverside Greens',
  sections: [
    {
      id: 'controller',
      heading: 'Who we are',
      blocks: [{ kind: 'paragraph', content: [{ text: 'We are <b>bold</b> & proud.' }] }],
    },
    {
      id: 'list-matching',
      heading: 'Matching your details with social-media platforms',
      blocks: [
        {
          kind: 'list',
          items: [
            [
              { text: 'Object: ' },
              { text: 'https://riverside.example/object', href: 'https://riverside.example/object' },
            ],
            [{ text: 'click me', href: 'javascript:alert(1)' }],
            [{ text: 'dpo@riverside.example', href: 'mailto:dpo@riverside.example' }],
          ],
        },
      ],
    },
    {
      id: 'rights',
      heading: 'Your rights',
      blocks: [{ kind: 'paragraph', content: [{ text: 'Gap', missing: true }] }],
    },
  ],
  disclosures: { listMatching: [], profiling: false },
  ...overrides,
});

const page = (overrides: Partial<Parameters<typeof renderNoticePage>[0]> = {}): string =>
  renderNoticePage({
    document: doc(),
    version: 2,
    publishedAt: '2026-11-29T10:00:00.000Z',
    sha256: 'a'.repeat(64),
    languages: ['en', 'cy'],
    currentVersion: 2,
    basePath: '/p/c1/privacy-notice',
    ...overrides,
  });

describe('renderNoticePage', () => {
  const html = page();

  it.each([
    {
      name: 'escapes the campaign’s words',
      contains: 'We are &lt;b&gt;bold&lt;/b&gt; &amp; proud.',
      not: '<b>bold</b>',
    },
    {
      name: 'escapes the title',
      contains: 'Privacy notice: &lt;Riverside&gt; &amp; &quot;Greens&quot;',
      not: '<Riverside>',
    },
    { name: 'links web addresses', contains: '<a href="https://riverside.example/object" class="bare">', not: null },
    { name: 'links email addresses', contains: '<a href="mailto:dpo@riverside.example" class="bare">', not: null },
    { name: 'never links a javascript: address', contains: '<li>click me</li>', not: 'javascript:' },
    { name: 'marks a missing part', contains: '<mark>Gap</mark>', not: null },
    { name: 'sets the language of the page', contains: '<html lang="en">', not: null },
    {
      name: 'offers Welsh with hreflang',
      contains: 'href="/p/c1/privacy-notice?lang=cy" hreflang="cy" lang="cy">Cymraeg',
      not: null,
    },
    { name: 'has one h1, a skip link and a main landmark', contains: '<a class="skip" href="#main">', not: null },
    {
      name: 'uses the stylesheet, never inline styles or scripts',
      contains: `href="${NOTICE_CSS_PATH}"`,
      not: '<script',
    },
    {
      name: 'dates the version in UK time',
      contains: 'Version 2 · Published <time datetime="2026-11-29T10:00:00.000Z">29 November 2026</time>',
      not: null,
    },
    { name: 'links the history and the JSON', contains: 'href="/p/c1/privacy-notice/versions"', not: null },
  ])('$name', ({ contains, not }) => {
    expect(html).toContain(contains);
    if (not) expect(html).not.toContain(not);
  });

  it('keeps the sections in order, each with an anchor and a labelled heading; list matching is marked prominent', () => {
    const ids = [...html.matchAll(/<section id="([a-z-]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['controller', 'list-matching', 'rights']);
    expect(html).toContain('<section id="list-matching" aria-labelledby="h-list-matching" class="prominent">');
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html).not.toMatch(/style=/);
  });

  it('says an earlier version is not current, and links the current one', () => {
    const old = page({ version: 1 });
    expect(old).toContain('This is not the current version of this notice.');
    expect(old).toContain('href="/p/c1/privacy-notice"');
    expect(old).toContain('href="/p/c1/privacy-notice/versions/1?lang=cy"');
  });

  it('writes the Welsh page chrome in Welsh', () => {
    const cy = page({ document: doc({ language: 'cy', title: 'Hysbysiad preifatrwydd: Riverside Greens' }) });
    expect(cy).toContain('<html lang="cy">');
    expect(cy).toContain('Fersiwn 2');
    expect(cy).toContain('29 Tachwedd 2026');
    expect(cy).toContain('hreflang="en" lang="en">English');
  });
});

describe('renderHistoryPage and renderMessagePage', () => {
  it('lists versions newest first with their languages', () => {
    const html = renderHistoryPage({
      controllerName: 'Riverside & Co',
      basePath: '/p/c1/privacy-notice',
      history: [
        {
          version: 2,
          publishedAt: '2026-11-29T10:00:00Z',
          languages: [
            { language: 'en', publishedAt: '2026-11-29T10:00:00Z', sha256: 'a' },
            { language: 'cy', publishedAt: '2026-11-29T11:00:00Z', sha256: 'b' },
          ],
        },
        {
          version: 1,
          publishedAt: '2026-10-01T10:00:00Z',
          languages: [{ language: 'en', publishedAt: '2026-10-01T10:00:00Z', sha256: 'c' }],
        },
      ],
    });
    expect(html).toContain('Riverside &amp; Co');
    expect(html.indexOf('2 (current)')).toBeLessThan(html.indexOf('>1<'));
    expect(html).toContain('href="/p/c1/privacy-notice/versions/2?lang=cy"');
    expect(html).toContain('1 October 2026');
  });

  it('escapes a message page and keeps it out of search engines', () => {
    const html = renderMessagePage({ title: 'Nothing <here>', paragraphs: ['a & b'], welsh: 'Dim byd' });
    expect(html).toContain('Nothing &lt;here&gt;');
    expect(html).toContain('<p lang="cy">Dim byd</p>');
    expect(html).toContain('noindex');
  });

  it.each([
    ['<script>', '&lt;script&gt;'],
    [`"'&`, '&quot;&#39;&amp;'],
  ])('escapeHtml(%s)', (raw, escaped) => {
    expect(escapeHtml(raw)).toBe(escaped);
  });

  it('formats dates in English and Welsh', () => {
    expect(formatNoticeDate('2026-06-19T23:30:00Z', 'en')).toBe('20 June 2026'); // BST
    expect(formatNoticeDate('2026-06-19T12:00:00Z', 'cy')).toBe('19 Mehefin 2026');
  });
});
