/**
 * The public privacy notice as HTML: accessible (one h1, landmarks, a skip link, a contents
 * list, the page's language set, visible focus), printable (a print stylesheet that drops the
 * navigation and prints each link's address), and without scripts or inline styles, so the
 * server's strict Content-Security-Policy holds (style-src 'self'; no script at all).
 *
 * Everything the campaign or its records wrote is escaped; links are written only for http(s)
 * and mailto addresses (isSafeHref), anything else is shown as text.
 */
import { createHash } from 'node:crypto';
import {
  isSafeHref,
  type NoticeBlock,
  type NoticeDocument,
  type NoticeInline,
  type NoticeLanguage,
} from '../domain/privacy-notice.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** The words of the page around the notice. The notice's own words are the campaign's. */
const CHROME: Record<NoticeLanguage, Record<string, string>> = {
  en: {
    skip: 'Skip to the notice',
    languages: 'Language',
    contents: 'Contents',
    version: 'Version',
    published: 'Published',
    notCurrent: 'This is not the current version of this notice.',
    readCurrent: 'Read the current version',
    earlier: 'Earlier versions',
    json: 'This notice as data (JSON)',
    fingerprint: 'SHA-256 of this version’s text',
    print: 'To keep a copy, print this page or save it as a PDF from your browser.',
  },
  cy: {
    skip: 'Neidio i’r prif gynnwys',
    languages: 'Iaith',
    contents: 'Cynnwys',
    version: 'Fersiwn',
    published: 'Cyhoeddwyd',
    notCurrent: 'Nid hon yw’r fersiwn gyfredol o’r hysbysiad hwn.',
    readCurrent: 'Darllen y fersiwn gyfredol',
    earlier: 'Fersiynau blaenorol',
    json: 'Yr hysbysiad hwn fel data (JSON)',
    fingerprint: 'SHA-256 testun y fersiwn hon',
    print: 'I gadw copi, argraffwch y dudalen hon neu ei chadw fel PDF o’ch porwr.',
  },
};

const LANGUAGE_NAMES: Record<NoticeLanguage, string> = { en: 'English', cy: 'Cymraeg' };

/** "29 November 2026" / "29 Tachwedd 2026", in UK time. */
export function formatNoticeDate(value: string, language: NoticeLanguage): string {
  return new Date(value).toLocaleDateString(language === 'cy' ? 'cy-GB' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  });
}

/**
 * The stylesheet of the public pages. Served from its own address (style-src 'self'), named
 * after a hash of its content so that it can be cached for good.
 */
export const NOTICE_CSS = `:root{color-scheme:light;--ink:#1b1b1b;--muted:#505a5f;--link:#1d4e89;--line:#b1b4b6;--accent:#1d70b8;--focus:#ffdd00}
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:100%;line-height:1.55;color:var(--ink);background:#fff}
body{margin:0 auto;max-width:46rem;padding:1rem 1.25rem 3rem}
a{color:var(--link);text-decoration-thickness:.08em;text-underline-offset:.15em;overflow-wrap:anywhere}
a:focus-visible{outline:3px solid var(--focus);outline-offset:0;background:var(--focus);color:#0b0c0c;text-decoration:none}
.skip{position:absolute;left:-999rem}
.skip:focus{position:static;display:inline-block;margin-bottom:1rem}
h1{font-size:2rem;line-height:1.2;margin:.5rem 0 .75rem}
h2{font-size:1.4rem;line-height:1.3;margin:2rem 0 .5rem}
p,li{max-width:40rem}
ul{padding-left:1.25rem}
li{margin:.35rem 0}
.meta,.fingerprint,.print-hint{color:var(--muted)}
.fingerprint{font-size:.85rem;overflow-wrap:anywhere}
.languages{display:flex;justify-content:flex-end;gap:1rem;margin:0;padding:0;list-style:none}
.notice-old{border-left:6px solid #d4351c;padding:.5rem 1rem;background:#fdf3f2}
.toc{border-top:1px solid var(--line);border-bottom:1px solid var(--line);margin:1.5rem 0;padding:.25rem 0 .75rem}
.toc h2{font-size:1.1rem;margin:.75rem 0 .25rem}
.toc ol{margin:0;padding-left:1.5rem}
.prominent{border-left:6px solid var(--accent);padding:0 0 .25rem 1rem;margin-left:-1.375rem}
mark{background:#fff2b3;color:#1b1b1b}
footer{margin-top:3rem;border-top:1px solid var(--line);padding-top:1rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.5rem .5rem .5rem 0;border-bottom:1px solid var(--line);vertical-align:top}
@media print{
html{font-size:11pt}
body{max-width:none;padding:0}
.skip,.languages,.toc,.print-hint{display:none}
a{color:inherit}
main a[href^="http"]::after,main a[href^="mailto:"]::after{content:" (" attr(href) ")";font-size:90%;overflow-wrap:anywhere}
main a[href^="http"].bare::after,main a[href^="mailto:"].bare::after{content:""}
section{break-inside:auto}
h2{break-after:avoid}
.prominent{margin-left:0}
}
`;

export const NOTICE_CSS_PATH = `/p/assets/privacy-notice.${createHash('sha256').update(NOTICE_CSS).digest('hex').slice(0, 12)}.css`;

function inline(run: NoticeInline): string {
  if (run.missing) return `<mark>${escapeHtml(run.text)}</mark>`;
  if (run.href && isSafeHref(run.href)) {
    // A link whose text is its own address need not print the address twice.
    const bare = run.href.replace(/^mailto:/i, '') === run.text ? ' class="bare"' : '';
    return `<a href="${escapeHtml(run.href)}"${bare}>${escapeHtml(run.text)}</a>`;
  }
  return escapeHtml(run.text);
}

const inlines = (runs: readonly NoticeInline[]): string => runs.map(inline).join('');

function block(b: NoticeBlock): string {
  return b.kind === 'paragraph'
    ? `<p>${inlines(b.content)}</p>`
    : `<ul>\n${b.items.map((item) => `<li>${inlines(item)}</li>`).join('\n')}\n</ul>`;
}

const PROMINENT = new Set(['list-matching', 'profiling', 'objection']);

function page(options: { language: NoticeLanguage; title: string; head?: string; body: string }): string {
  const t = CHROME[options.language];
  return `<!doctype html>
<html lang="${options.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<link rel="stylesheet" href="${NOTICE_CSS_PATH}">
${options.head ?? ''}</head>
<body>
<a class="skip" href="#main">${escapeHtml(t.skip!)}</a>
${options.body}
</body>
</html>
`;
}

export interface NoticePageOptions {
  document: NoticeDocument;
  version: number;
  publishedAt: string;
  sha256: string;
  /** Languages this version is published in. */
  languages: readonly NoticeLanguage[];
  currentVersion: number;
  /** The notice's public path, e.g. /p/<campaign>/privacy-notice. */
  basePath: string;
}

/** One version of the notice as a complete HTML page. */
export function renderNoticePage(o: NoticePageOptions): string {
  const language = o.document.language;
  const t = CHROME[language];
  const isCurrent = o.version === o.currentVersion;
  const here = isCurrent ? o.basePath : `${o.basePath}/versions/${o.version}`;
  const hrefFor = (l: NoticeLanguage): string => (l === 'en' ? here : `${here}?lang=${l}`);
  const otherLanguages = o.languages.filter((l) => l !== language);
  const languageLinks =
    otherLanguages.length === 0
      ? ''
      : `<nav aria-label="${escapeHtml(t.languages!)}"><ul class="languages">${otherLanguages
          .map(
            (l) =>
              `<li><a href="${escapeHtml(hrefFor(l))}" hreflang="${l}" lang="${l}">${escapeHtml(LANGUAGE_NAMES[l])}</a></li>`,
          )
          .join('')}</ul></nav>\n`;
  const alternates = o.languages
    .map((l) => `<link rel="alternate" hreflang="${l}" href="${escapeHtml(hrefFor(l))}">\n`)
    .join('');
  const json = isCurrent
    ? `${o.basePath}.json${language === 'en' ? '' : `?lang=${language}`}`
    : `${o.basePath}/versions/${o.version}.json${language === 'en' ? '' : `?lang=${language}`}`;
  const contents = o.document.sections
    .map((s) => `<li><a href="#${escapeHtml(s.id)}">${escapeHtml(s.heading)}</a></li>`)
    .join('\n');
  const sections = o.document.sections
    .map(
      (s) =>
        `<section id="${escapeHtml(s.id)}" aria-labelledby="h-${escapeHtml(s.id)}"${PROMINENT.has(s.id) ? ' class="prominent"' : ''}>
<h2 id="h-${escapeHtml(s.id)}">${escapeHtml(s.heading)}</h2>
${s.blocks.map(block).join('\n')}
</section>`,
    )
    .join('\n');
  const old = isCurrent
    ? ''
    : `<div class="notice-old" role="note"><p>${escapeHtml(t.notCurrent!)} <a href="${escapeHtml(
        language === 'en' ? o.basePath : `${o.basePath}?lang=${language}`,
      )}">${escapeHtml(t.readCurrent!)}</a></p></div>\n`;
  return page({
    language,
    title: `${o.document.title} — ${t.version} ${o.version}`,
    head: `${alternates}<link rel="alternate" type="application/json" href="${escapeHtml(json)}">\n`,
    body: `<header>
${languageLinks}<h1>${escapeHtml(o.document.title)}</h1>
<p class="meta">${escapeHtml(t.version!)} ${o.version} · ${escapeHtml(t.published!)} <time datetime="${escapeHtml(o.publishedAt)}">${escapeHtml(formatNoticeDate(o.publishedAt, language))}</time></p>
${old}<p class="print-hint">${escapeHtml(t.print!)}</p>
</header>
<nav class="toc" aria-labelledby="toc-heading">
<h2 id="toc-heading">${escapeHtml(t.contents!)}</h2>
<ol>
${contents}
</ol>
</nav>
<main id="main" tabindex="-1">
${sections}
</main>
<footer>
<p><a href="${escapeHtml(`${o.basePath}/versions`)}">${escapeHtml(t.earlier!)}</a> · <a href="${escapeHtml(json)}" type="application/json">${escapeHtml(t.json!)}</a></p>
<p class="fingerprint">${escapeHtml(t.fingerprint!)}: <code>${escapeHtml(o.sha256)}</code></p>
</footer>`,
  });
}

export interface HistoryPageOptions {
  controllerName: string;
  basePath: string;
  history: readonly {
    version: number;
    publishedAt: string;
    languages: readonly { language: NoticeLanguage; publishedAt: string; sha256: string }[];
  }[];
}

/** The list of every published version, newest first, with its dates and languages. */
export function renderHistoryPage(o: HistoryPageOptions): string {
  const rows = o.history
    .map((h, i) => {
      const links = h.languages
        .map((l) => {
          const href = `${o.basePath}/versions/${h.version}${l.language === 'en' ? '' : `?lang=${l.language}`}`;
          return `<a href="${escapeHtml(href)}" hreflang="${l.language}" lang="${l.language}">${escapeHtml(LANGUAGE_NAMES[l.language])}</a>`;
        })
        .join(' · ');
      return `<tr><th scope="row">${h.version}${i === 0 ? ' (current)' : ''}</th><td><time datetime="${escapeHtml(h.publishedAt)}">${escapeHtml(formatNoticeDate(h.publishedAt, 'en'))}</time></td><td>${links}</td></tr>`;
    })
    .join('\n');
  return page({
    language: 'en',
    title: `Privacy notice versions: ${o.controllerName}`,
    head: `<link rel="alternate" type="application/json" href="${escapeHtml(`${o.basePath}/versions.json`)}">\n`,
    body: `<header>
<h1>Privacy notice versions: ${escapeHtml(o.controllerName)}</h1>
<p class="meta">Every version of this privacy notice that has been published, newest first. A published version is never changed. <span lang="cy">Pob fersiwn o’r hysbysiad preifatrwydd hwn a gyhoeddwyd.</span></p>
</header>
<main id="main" tabindex="-1">
<table>
<caption class="meta">Versions</caption>
<thead><tr><th scope="col">Version</th><th scope="col">Published</th><th scope="col">Read it</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p><a href="${escapeHtml(o.basePath)}">Read the current version</a></p>
</main>`,
  });
}

/** A short page with a message: nothing published, no such version, no Welsh yet. */
export function renderMessagePage(o: {
  title: string;
  paragraphs: readonly string[];
  links?: readonly { href: string; text: string; lang?: NoticeLanguage }[];
  /** A Welsh line under the English, for pages reached with ?lang=cy. */
  welsh?: string;
}): string {
  const links = (o.links ?? [])
    .map(
      (l) =>
        `<li><a href="${escapeHtml(l.href)}"${l.lang ? ` hreflang="${l.lang}" lang="${l.lang}"` : ''}>${escapeHtml(l.text)}</a></li>`,
    )
    .join('\n');
  return page({
    language: 'en',
    title: o.title,
    head: '<meta name="robots" content="noindex">\n',
    body: `<main id="main" tabindex="-1">
<h1>${escapeHtml(o.title)}</h1>
${o.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${o.welsh ? `<p lang="cy">${escapeHtml(o.welsh)}</p>\n` : ''}${links ? `<ul>\n${links}\n</ul>` : ''}
</main>`,
  });
}
