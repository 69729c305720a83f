/** The banner's pure helpers (no DOM), unit-tested in pure.test.ts. */
import type { BannerConfig } from '../shared/consent-banner.js';

/** `template` with its `{name}` placeholders filled in; unknown ones are left as they are. */
export const fill = (template: string, values: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (all, key: string) => values[key] ?? all);

/** Every path a cookie set on this page could carry: "/", then each prefix of the path, with and without a trailing slash. */
export function pathVariants(pathname: string): string[] {
  const paths = new Set(['/']);
  let at = 0;
  while ((at = pathname.indexOf('/', at + 1)) > 0) {
    paths.add(pathname.slice(0, at));
    paths.add(pathname.slice(0, at + 1));
  }
  paths.add(pathname);
  return [...paths];
}

/** Host-only (""), the host, and every parent domain of two labels or more, each with and without the leading dot. */
export function domainVariants(host: string): string[] {
  const domains = [''];
  if (/^[\d.]+$|:/.test(host)) return domains;
  const labels = host.split('.');
  for (let i = 0; i <= labels.length - 2; i++) {
    const d = labels.slice(i).join('.');
    domains.push(d, `.${d}`);
  }
  return domains;
}

/**
 * Whether a stored choice still answers the current configuration: same material configuration
 * (hash), same revision, and younger than consentMaxAgeDays. A copy edit changes neither.
 */
export const isFresh = (
  stored: { h: string; r: number; t: number } | null,
  config: Pick<BannerConfig, 'configHash' | 'revision' | 'consentMaxAgeDays'>,
  now: number,
): boolean =>
  !!stored &&
  stored.h === config.configHash &&
  stored.r === config.revision &&
  now - stored.t < config.consentMaxAgeDays * 864e5;
