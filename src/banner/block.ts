/**
 * Default deny in the page: nodes marked with `data-category` (and `data-service`) stay inert
 * until their service is granted —
 *   <script type="text/plain" data-category data-service [src|data-src]>  re-created, with the nonce
 *   <template data-category data-service [data-placeholder]>              its HTML inserted, scripts re-created
 *   <iframe|img|… data-category data-service data-src>                    src set from data-src
 * Blocked iframes (and templates marked data-placeholder) get a placeholder with a "load this"
 * button; nodes added later are handled by a MutationObserver.
 */
import { button, doc, h } from './dom.js';
import { fill } from './pure.js';

export interface Blocker {
  /** Whether a node of this category and service may run. */
  granted(category: string, service: string | null): boolean;
  /** The service's display name for the placeholder. */
  serviceName(service: string | null, category: string): string;
  placeholderText: string;
  placeholderLoad: string;
  /** The visitor pressed "load this" on a placeholder. */
  load(service: string | null, category: string): void;
}

const HIDDEN = 'cvb-h';
const placeholders = new Map<Element, HTMLElement>();
let blocker: Blocker;
let nonce = '';

function recreate(old: HTMLScriptElement): HTMLScriptElement {
  const script = doc.createElement('script');
  for (const { name, value } of old.attributes)
    if (name !== 'type' && name !== 'data-src' && name !== 'data-type') script.setAttribute(name, value);
  const src = old.dataset.src;
  if (old.dataset.type) script.type = old.dataset.type;
  if (src) script.src = src;
  // Re-created external scripts would be async; keep the page's order unless the snippet asked for async.
  script.async = old.hasAttribute('async');
  script.text = old.text;
  if (nonce) script.nonce = nonce;
  return script;
}

function activate(el: HTMLElement): void {
  placeholders.get(el)?.remove();
  placeholders.delete(el);
  el.classList.remove(HIDDEN);
  if (el instanceof HTMLScriptElement) el.replaceWith(recreate(el));
  else if (el instanceof HTMLTemplateElement) {
    const content = doc.importNode(el.content, true);
    for (const script of content.querySelectorAll('script')) script.replaceWith(recreate(script));
    el.replaceWith(content);
  } else {
    el.setAttribute('src', el.dataset.src!);
    el.removeAttribute('data-src');
  }
}

function isBlocked(el: HTMLElement): boolean {
  if (el instanceof HTMLScriptElement) return el.type === 'text/plain';
  return el instanceof HTMLTemplateElement || el.dataset.src != null;
}

function placeholder(el: HTMLElement, category: string, service: string | null): void {
  if (placeholders.has(el) || !(el instanceof HTMLIFrameElement || el.hasAttribute('data-placeholder'))) return;
  const name = blocker.serviceName(service, category);
  // Texts without {service} still name it, so several placeholders on a page are told apart.
  const named = (text: string, before: string, after: string): string =>
    text.includes('{service}') ? fill(text, { service: name }) : before + text + after;
  const box = h(
    'div',
    { class: 'cvb-p' },
    h('p', null, named(blocker.placeholderText, `${name}: `, '')),
    button('cvb-b', named(blocker.placeholderLoad, '', ` (${name})`), () => blocker.load(service, category)),
  );
  el.classList.add(HIDDEN);
  el.before(box);
  placeholders.set(el, box);
}

/** Activates what is granted under `root` (and root itself) and puts placeholders on the blocked embeds. */
export function scan(root: ParentNode): void {
  const found = [...root.querySelectorAll<HTMLElement>('[data-category]')];
  if (root instanceof HTMLElement && root.dataset.category) found.unshift(root);
  for (const el of found) {
    if (!isBlocked(el)) continue;
    const category = el.dataset.category!;
    const service = el.dataset.service ?? null;
    if (blocker.granted(category, service)) activate(el);
    else placeholder(el, category, service);
  }
}

export function startBlocking(b: Blocker, scriptNonce: string): void {
  blocker = b;
  nonce = scriptNonce;
  scan(doc);
  new MutationObserver((records) => {
    for (const record of records)
      for (const node of record.addedNodes) if (node instanceof HTMLElement && node.isConnected) scan(node);
  }).observe(doc.documentElement, { childList: true, subtree: true });
}
