/**
 * Canvass consent banner: the one script a campaign website includes,
 *   <script src="https://canvass.example/c/banner.js" data-site="SITE_ID" defer></script>
 * (optional data-lang="cy"; the page's <html lang> otherwise). It
 *  1. sets Google Consent Mode v2 defaults (all denied) before anything else;
 *  2. fetches the site's configuration (GET /c/:siteId/config.json) and reads the visitor's choice
 *     from the first-party cookie — stale when the configuration hash or revision changed or it
 *     is older than consentMaxAgeDays;
 *  3. keeps every marked node blocked until its service is granted (block.ts);
 *  4. asks: a labelled region with Accept all / Reject all / Manage (equal buttons, no close),
 *     and a modal dialog listing each category's services and cookies; GPC answers by itself;
 *  5. stores the choice, posts a receipt (receipts.ts), announces it with the consent id, and on
 *     withdrawal erases the withdrawn services' cookies and reloads;
 *  6. exposes window.CanvassConsent { open, withdraw, getConsent, on('change') } for single-page apps.
 */
import {
  CONSENT_MODE_SIGNALS,
  type BannerConfig,
  type BannerLanguage,
  type BannerService,
  type BannerTexts,
  type ConsentCategory,
  type ReceiptAction,
} from '../shared/consent-banner.js';
import { scan, startBlocking } from './block.js';
import { addStyles } from './css.js';
import { button, doc, h, uuid } from './dom.js';
import { fill, isFresh } from './pure.js';
import { send, startReceipts } from './receipts.js';
import { erase, readChoice, writeChoice, type StoredChoice } from './store.js';

type Choices = Partial<Record<ConsentCategory, boolean>>;

/** What getConsent() returns and 'change' listeners receive. */
export interface Consent {
  consentId: string;
  /** The visitor has answered (or GPC answered for them). */
  decided: boolean;
  categories: Choices;
  services: Record<string, boolean>;
  configHash: string;
  revision: number;
  time: string | null;
  gpc: boolean;
}

export interface CanvassConsentApi {
  open(): void;
  withdraw(category?: ConsentCategory): void;
  getConsent(): Consent | null;
  on(event: 'change', listener: (consent: Consent) => void): void;
}

const w = window as unknown as {
  dataLayer?: unknown[];
  gtag?: (...args: unknown[]) => void;
  CanvassConsent?: CanvassConsentApi;
};

if (!w.CanvassConsent) init();

function init(): void {
  // Consent Mode v2 defaults come first, before any Google tag could run.
  w.dataLayer ??= [];
  w.gtag ??= function () {
    // gtag.js expects the arguments object itself, not an array.
    // eslint-disable-next-line prefer-rest-params
    w.dataLayer!.push(arguments);
  };
  const signals = (grant: (signal: string) => boolean): Record<string, string> =>
    Object.fromEntries(CONSENT_MODE_SIGNALS.map((s) => [s, grant(s) ? 'granted' : 'denied']));
  w.gtag('consent', 'default', { ...signals(() => false), wait_for_update: 500 });

  const script = (doc.currentScript ?? doc.querySelector('script[data-site]')) as HTMLScriptElement | null;
  const site = script?.dataset.site;
  if (!script || !site) return;
  const nonce = script.nonce || script.getAttribute('nonce') || '';
  const gpc = (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true;

  let cfg: BannerConfig | undefined;
  let t: BannerTexts;
  let lang: BannerLanguage;
  let state: StoredChoice;
  const listeners: ((consent: Consent) => void)[] = [];
  const waiting: (() => void)[] = [];
  const whenReady = (fn: () => void): void => void (cfg ? fn() : waiting.push(fn));
  const serviceIndex = new Map<string, [BannerService, ConsentCategory]>();

  let root: HTMLElement;
  let status: HTMLElement;
  let fab: HTMLButtonElement;
  let dialog: HTMLDialogElement;
  let banner: HTMLElement | null = null;
  let returnTo: Element | null = null;

  const services = (c: Choices, o: Record<string, boolean>): Record<string, boolean> => {
    const out: Record<string, boolean> = {};
    for (const k of cfg!.categories) for (const s of k.services) out[s.id] = k.locked || (o[s.id] ?? !!c[k.id]);
    return out;
  };

  const consent = (): Consent => ({
    consentId: state.i,
    decided: state.x === 1,
    categories: Object.fromEntries(cfg!.categories.map((k) => [k.id, k.locked || !!state.c[k.id]])),
    services: services(state.c, state.o),
    configHash: cfg!.configHash,
    revision: cfg!.revision,
    time: state.t ? new Date(state.t).toISOString() : null,
    gpc,
  });

  const granted = (category: string, service: string | null): boolean => {
    const k = cfg!.categories.find((c) => c.id === category);
    if (!k) return false;
    if (k.locked) return true;
    return (service ? state.o[service] : undefined) ?? !!state.c[k.id];
  };

  const updateConsentMode = (): void => {
    if (!cfg!.consentMode.enabled) return;
    const on = new Set<string>();
    const granted = services(state.c, state.o);
    for (const [id, [s]] of serviceIndex) if (granted[id]) for (const signal of s.consentMode) on.add(signal);
    w.gtag!(
      'consent',
      'update',
      signals((s) => on.has(s)),
    );
  };

  /** Every non-locked category set to `value` (necessary stays on). */
  const all = (value: boolean): Choices => Object.fromEntries(cfg!.categories.map((k) => [k.id, k.locked || value]));

  /** A link, only to an http(s) address (the server validates them too); otherwise plain text. */
  const link = (href: string, text: string): Node | string =>
    /^https?:\/\//i.test(href) ? h('a', { href }, text) : text;

  const visible = (el: Element | null): el is HTMLElement =>
    el instanceof HTMLElement && el.isConnected && el.getClientRects().length > 0;

  function save(action: ReceiptAction, c: Choices, o: Record<string, boolean>, x: 0 | 1): void {
    const config = cfg!;
    for (const k of config.categories) if (k.locked) c[k.id] = true;
    const before = services(state.c, state.o);
    const after = services(c, o);
    const revoked =
      Object.keys(before).some((id) => before[id] && !after[id]) ||
      config.categories.some((k) => state.c[k.id] && !c[k.id]);
    if (state.x && state.t && revoked && (action === 'reject_all' || action === 'custom')) action = 'withdraw';
    state = { i: state.i, h: config.configHash, r: config.revision, t: Date.now(), c, o, x, g: gpc ? 1 : 0 };
    writeChoice(config.cookieName, state, config.consentMaxAgeDays);
    send({
      receiptId: uuid(),
      consentId: state.i,
      action,
      categories: consent().categories,
      services: after,
      configHash: config.configHash,
      revision: config.revision,
      language: lang,
      textHash: config.textHashes[lang] ?? '',
      gpc,
      pageUrl: location.origin + location.pathname,
      clientTime: new Date().toISOString(),
    });
    updateConsentMode();
    status.textContent = fill(t.savedAnnouncement, { consentId: state.i });
    if (x) {
      const hadFocus = banner?.contains(doc.activeElement);
      banner?.remove();
      banner = null;
      fab.classList.remove('cvb-h');
      if (hadFocus) fab.focus();
    }
    for (const fn of listeners)
      try {
        fn(consent());
      } catch (error) {
        // A site's listener must not stop the clean-up below.
        console.error(error);
      }
    if (revoked) {
      for (const id of Object.keys(before)) if (before[id] && !after[id]) erase(serviceIndex.get(id)![0].cookies);
      if (config.reloadOnWithdraw) return location.reload();
      if (banner) showBanner();
    }
    scan(doc);
  }

  const acceptAll = (): void => save('accept_all', all(true), {}, 1);
  const rejectAll = (): void => save('reject_all', all(false), {}, 1);

  function withdraw(category?: ConsentCategory): void {
    const c = { ...state.c };
    const o = { ...state.o };
    for (const k of cfg!.categories)
      if (!k.locked && (!category || k.id === category)) {
        c[k.id] = false;
        for (const s of k.services) delete o[s.id];
      }
    save('withdraw', c, o, 1);
  }

  function showBanner(): void {
    const exempt = cfg!.categories.filter((k) => k.exempt && state.c[k.id]);
    const manage = button('cvb-b', t.manage, () => openDialog(manage));
    const next = h(
      'div',
      { class: 'cvb-m' },
      h('h2', { tabindex: -1 }, t.title),
      h('p', null, t.body),
      exempt.length > 0 &&
        h(
          'p',
          null,
          t.exemptNotice,
          ' ',
          // One click objects to every exception in use; the consent question stays open.
          button('cvb-l', t.objectLabel, () => {
            const c = { ...state.c };
            for (const k of exempt) c[k.id] = false;
            save('custom', c, state.o, state.x);
            banner?.querySelector('h2')?.focus();
          }),
        ),
      cfg!.privacyNoticeUrl && h('p', null, link(cfg!.privacyNoticeUrl, t.privacyNoticeLink)),
      h(
        'div',
        { class: 'cvb-a' },
        button('cvb-b', t.acceptAll, acceptAll),
        button('cvb-b', t.rejectAll, rejectAll),
        manage,
      ),
    );
    if (banner) banner.replaceWith(next);
    else root.prepend(next);
    banner = next;
    fab.classList.add('cvb-h');
  }

  function openDialog(opener: Element | null): void {
    if (dialog.open) return;
    returnTo = opener ?? doc.activeElement;
    const boxes: [ConsentCategory, HTMLInputElement][] = [];
    const title = h('h2', { id: 'cvb-dt', tabindex: -1 }, t.dialogTitle);
    const choose = (fn: () => void) => () => {
      dialog.close();
      fn();
    };
    dialog.replaceChildren(
      title,
      h('p', null, t.dialogBody),
      gpc ? h('p', null, t.gpcNotice) : '',
      ...cfg!.categories.map((k) => {
        const id = `cvb-k-${k.id}`;
        const box = h('input', {
          type: 'checkbox',
          id,
          checked: k.locked || !!state.c[k.id],
          disabled: k.locked,
          'aria-describedby': `${id}-d`,
        });
        boxes.push([k.id, box]);
        const { name, description } = t.categories[k.id];
        return h(
          'div',
          { class: 'cvb-c' },
          h('div', { class: 'cvb-r' }, box, h('h3', null, h('label', { for: id }, name))),
          h('p', { id: `${id}-d` }, description, k.exempt ? ` ${t.exemptNotice}` : ''),
          ...k.services.map((s) =>
            h(
              'details',
              null,
              h('summary', null, `${s.name} (${s.provider})`),
              s.privacyPolicyUrl && h('p', null, link(s.privacyPolicyUrl, s.privacyPolicyUrl)),
              s.cookies.length > 0 &&
                h(
                  'table',
                  null,
                  h('tr', null, ...Object.values(t.cookieTableHeadings).map((text) => h('th', { scope: 'col' }, text))),
                  ...s.cookies.map((ck) =>
                    h(
                      'tr',
                      null,
                      h('td', null, ck.prefix ? `${ck.name}*` : ck.name),
                      h('td', null, ck.duration),
                      h('td', null, ck.purpose),
                    ),
                  ),
                ),
            ),
          ),
        );
      }),
      h('p', null, t.consentIdLabel.replace(/:?\s*$/, ': '), h('code', null, state.i)),
      cfg!.privacyNoticeUrl ? h('p', null, link(cfg!.privacyNoticeUrl, t.privacyNoticeLink)) : '',
      h(
        'div',
        { class: 'cvb-a' },
        button('cvb-b', t.acceptAll, choose(acceptAll)),
        button('cvb-b', t.rejectAll, choose(rejectAll)),
        button(
          'cvb-b',
          t.save,
          choose(() => save('custom', Object.fromEntries(boxes.map(([id, box]) => [id, box.checked])), {}, 1)),
        ),
        button('cvb-b', t.closeDialog, () => dialog.close()),
      ),
    );
    dialog.showModal();
    title.focus();
  }

  function build(): void {
    root = h('div', { class: 'cvb', role: 'region', 'aria-label': t.regionLabel, lang });
    status = h('div', { class: 'cvb-s', role: 'status' });
    fab = button('cvb-f cvb-h', t.withdrawLink, () => openDialog(fab));
    dialog = h('dialog', { class: 'cvb-d', 'aria-labelledby': 'cvb-dt', 'aria-modal': 'true' });
    // Escape (the dialog's cancel) and the close button go back without choosing; focus returns.
    dialog.addEventListener('close', () => {
      const to = visible(returnTo) ? returnTo : banner ? banner.querySelector('button') : fab;
      to?.focus();
    });
    // Keep Tab inside the dialog (showModal makes the page inert, but not the browser's own UI).
    dialog.addEventListener('keydown', (event) => {
      if (event.key !== 'Tab') return;
      const focusable = [...dialog.querySelectorAll<HTMLElement>('button,input:not([disabled]),a[href],summary')];
      const first = focusable[0]!;
      const last = focusable[focusable.length - 1]!;
      const active = doc.activeElement;
      if (event.shiftKey ? active === first || active === dialog.firstChild : active === last) {
        event.preventDefault();
        (event.shiftKey ? last : first).focus();
      }
    });
    root.append(status, fab, dialog);
    doc.body.prepend(root);
  }

  function start(config: BannerConfig): void {
    if (!doc.body) return void doc.addEventListener('DOMContentLoaded', () => start(config));
    const wanted = (script!.dataset.lang || doc.documentElement.lang).slice(0, 2).toLowerCase() as BannerLanguage;
    lang = config.languages.includes(wanted) && config.texts[wanted] ? wanted : config.defaultLanguage;
    const texts = config.texts[lang];
    if (!texts) return;
    t = texts;
    for (const k of config.categories) for (const s of k.services) serviceIndex.set(s.id, [s, k.id]);
    const stored = readChoice(config.cookieName);
    cfg = config;
    state =
      isFresh(stored, config, Date.now()) && stored
        ? stored
        : {
            i: stored?.i ?? uuid(),
            h: '',
            r: 0,
            t: 0,
            // Before a choice, only the exceptions run (and not under GPC, which objects to them).
            c: Object.fromEntries(config.categories.map((k) => [k.id, k.locked || (k.exempt && !gpc)])),
            o: {},
            x: 0,
            g: 0,
          };
    startReceipts(new URL(`${site}/receipts`, script!.src).href, `${config.cookieName}_q`);
    addStyles(nonce);
    build();
    updateConsentMode();
    startBlocking(
      {
        granted,
        serviceName: (service, category) =>
          (service && serviceIndex.get(service)?.[0].name) ||
          t.categories[category as ConsentCategory]?.name ||
          category,
        placeholderText: t.placeholder,
        placeholderLoad: t.placeholderLoad,
        load: (service, category) =>
          service && serviceIndex.has(service)
            ? save('custom', { ...state.c }, { ...state.o, [service]: true }, state.x)
            : save('custom', { ...state.c, [category]: true }, state.o, state.x),
      },
      nonce,
    );
    if (!state.x) {
      if (gpc) save('gpc', all(false), state.o, 1);
      else showBanner();
    } else fab.classList.remove('cvb-h');
    for (const fn of waiting.splice(0)) fn();
  }

  w.CanvassConsent = {
    open: () => whenReady(() => openDialog(null)),
    withdraw: (category) => whenReady(() => withdraw(category)),
    getConsent: () => (cfg ? consent() : null),
    on: (event, listener) => {
      if (event === 'change') listeners.push(listener);
    },
  };

  fetch(new URL(`${site}/config.json`, script.src), { credentials: 'omit' })
    .then((res) => (res.ok ? (res.json() as Promise<BannerConfig>) : Promise.reject(new Error(String(res.status)))))
    .then(start)
    .catch((error: unknown) => console.warn('Canvass consent: no configuration, everything stays blocked.', error));
}
