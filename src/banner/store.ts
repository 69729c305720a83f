/**
 * The visitor's choice in a first-party cookie (strictly necessary: it is how the choice is
 * remembered), and the clean-up of a withdrawn service's cookies and storage entries.
 */
import type { BannerCookie, ConsentCategory } from '../shared/consent-banner.js';
import { doc } from './dom.js';
import { domainVariants, pathVariants } from './pure.js';

/** What the choice cookie holds (short keys: it travels with every request to the site). */
export interface StoredChoice {
  /** consentId */
  i: string;
  /** configHash the visitor answered */
  h: string;
  /** revision the visitor answered */
  r: number;
  /** time of the choice, ms since the epoch */
  t: number;
  /** per category: granted (for an exempt category: not objected to) */
  c: Partial<Record<ConsentCategory, boolean>>;
  /** per-service choices that differ from their category (a placeholder's "load this") */
  o: Record<string, boolean>;
  /** 1 once the visitor has answered the consent question (accept, reject, save, GPC) */
  x: 0 | 1;
  /** GPC was on */
  g: 0 | 1;
}

export function readCookie(name: string): string | null {
  for (const part of doc.cookie.split(';')) {
    const at = part.indexOf('=');
    if (part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return null;
}

export function readChoice(name: string): StoredChoice | null {
  try {
    const value = JSON.parse(readCookie(name) ?? 'null') as StoredChoice | null;
    return value && typeof value.i === 'string' && typeof value.c === 'object' && typeof value.t === 'number'
      ? { ...value, o: value.o ?? {} }
      : null;
  } catch {
    return null;
  }
}

const secure = (): string => (location.protocol === 'https:' ? ';secure' : '');

export function writeChoice(name: string, choice: StoredChoice, maxAgeDays: number): void {
  doc.cookie = `${name}=${encodeURIComponent(JSON.stringify(choice))};path=/;max-age=${Math.round(maxAgeDays * 86400)};samesite=lax${secure()}`;
}

const matches = (entry: BannerCookie, key: string): boolean =>
  entry.prefix ? key.startsWith(entry.name) : key === entry.name;

/** Erases the cookies and storage entries a service declares, on every path and domain they could have been set with. */
export function erase(entries: readonly BannerCookie[]): void {
  const names = doc.cookie
    .split(';')
    .map((part) => part.split('=')[0]!.trim())
    .filter(Boolean);
  const paths = pathVariants(location.pathname);
  const domains = domainVariants(location.hostname);
  for (const entry of entries) {
    if (entry.storage === 'cookie') {
      const targets = new Set(names.filter((n) => matches(entry, n)));
      if (!entry.prefix) targets.add(entry.name);
      for (const name of targets)
        for (const path of paths)
          for (const domain of domains)
            doc.cookie = `${name}=;expires=Thu, 01 Jan 1970 00:00:00 GMT;max-age=0;path=${path}${domain && `;domain=${domain}`}${secure()}`;
    } else {
      try {
        const store = entry.storage === 'local' ? localStorage : sessionStorage;
        for (const key of Object.keys(store)) if (matches(entry, key)) store.removeItem(key);
      } catch {
        // Storage disabled: nothing to erase.
      }
    }
  }
}
