/**
 * The banner's styles, added as a constructed stylesheet (or a <style> carrying the page's
 * nonce), never as style attributes, so a strict Content-Security-Policy needs no
 * 'unsafe-inline'. Colours meet WCAG AA (#0b0c0c on #f3f2f1 19:1, white on #1d70b8 5.2:1,
 * #1d70b8 on white 5.2:1); focus is a yellow-and-black ring; every target is at least 24px.
 */
import { doc } from './dom.js';

const CSS = `.cvb,.cvb-p{font:16px/1.5 system-ui,sans-serif;color:#0b0c0c}
.cvb-m{background:#f3f2f1;border-bottom:4px solid #1d70b8;padding:16px}
.cvb-m>*,.cvb-d>*{max-width:60em;margin:0 auto 12px}
.cvb h2{font-size:1.3em;line-height:1.3;margin-top:0}
.cvb h3{font-size:1.1em;margin:0}
.cvb-a{display:grid;grid-template-columns:repeat(auto-fill,minmax(14em,1fr));gap:12px}
.cvb-b,.cvb-f{min-height:44px;min-width:11em;padding:8px 16px;border:2px solid #0b0c0c;border-radius:4px;background:#1d70b8;color:#fff;font:inherit;font-weight:700;cursor:pointer}
.cvb-b:hover,.cvb-f:hover{background:#003078}
.cvb-f{position:fixed;left:8px;bottom:8px;z-index:2147483646;min-width:0}
.cvb-l{min-height:24px;padding:0;border:0;background:none;color:#1d70b8;font:inherit;text-decoration:underline;cursor:pointer}
.cvb :focus-visible,.cvb-p :focus-visible{outline:3px solid #fd0;outline-offset:0;box-shadow:0 0 0 6px #0b0c0c}
.cvb a{color:#1d70b8;display:inline-block;min-height:24px}
.cvb-d{width:min(46em,94vw);max-height:90vh;overflow:auto;padding:24px;border:2px solid #0b0c0c;background:#fff;color:#0b0c0c}
.cvb-d::backdrop{background:#0b0c0cb3}
.cvb-c{border-top:1px solid #b1b4b6;padding-top:12px}
.cvb-r{display:flex;align-items:center;gap:12px}
.cvb-r input{width:24px;height:24px;margin:0;accent-color:#1d70b8}
.cvb table{border-collapse:collapse;width:100%;font-size:.9em}
.cvb th,.cvb td{border:1px solid #b1b4b6;padding:4px 8px;text-align:left;vertical-align:top}
.cvb summary{min-height:24px;cursor:pointer}
.cvb-s{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.cvb-p{background:#f3f2f1;border:2px solid #0b0c0c;padding:16px;max-width:40em}
.cvb-p p{margin:0 0 12px}
.cvb-h{display:none!important}`;

export function addStyles(nonce: string): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  } catch {
    const style = doc.createElement('style');
    if (nonce) style.nonce = nonce;
    style.textContent = CSS;
    doc.head.append(style);
  }
}
