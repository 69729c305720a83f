import { describe, expect, it } from 'vitest';
import { domainVariants, fill, isFresh, pathVariants } from './pure.js';

describe('cookie clean-up variants', () => {
  it('covers every path prefix of the page, with and without the trailing slash', () => {
    expect(pathVariants('/news/2026/launch.html')).toEqual([
      '/',
      '/news',
      '/news/',
      '/news/2026',
      '/news/2026/',
      '/news/2026/launch.html',
    ]);
    expect(pathVariants('/')).toEqual(['/']);
    expect(pathVariants('/join/')).toEqual(['/', '/join', '/join/']);
  });

  it('covers host-only, the host and each parent domain, dotted and not', () => {
    expect(domainVariants('www.example.co.uk')).toEqual([
      '',
      'www.example.co.uk',
      '.www.example.co.uk',
      'example.co.uk',
      '.example.co.uk',
      'co.uk',
      '.co.uk',
    ]);
    expect(domainVariants('campaign.test')).toEqual(['', 'campaign.test', '.campaign.test']);
    // A single label or an address can only hold host-only cookies.
    expect(domainVariants('localhost')).toEqual(['']);
    expect(domainVariants('127.0.0.1')).toEqual(['']);
    expect(domainVariants('::1')).toEqual(['']);
  });
});

describe('fill', () => {
  it('fills known placeholders and leaves the others', () => {
    expect(fill('Saved. Your consent ID is {consentId}.', { consentId: 'abc' })).toBe('Saved. Your consent ID is abc.');
    expect(fill('Load {service} ({other})', { service: 'YouTube' })).toBe('Load YouTube ({other})');
  });
});

describe('isFresh', () => {
  const config = { configHash: 'a'.repeat(64), revision: 3, consentMaxAgeDays: 180 };
  const now = Date.UTC(2026, 10, 29);
  const day = 86_400_000;
  const stored = { h: config.configHash, r: 3, t: now - day };

  it('keeps a choice made for this configuration and revision within the maximum age', () => {
    expect(isFresh(stored, config, now)).toBe(true);
    expect(isFresh({ ...stored, t: now - 179 * day }, config, now)).toBe(true);
  });

  it('asks again after a material change, a revision bump, the maximum age, or with no choice', () => {
    expect(isFresh({ ...stored, h: 'b'.repeat(64) }, config, now)).toBe(false);
    expect(isFresh({ ...stored, r: 2 }, config, now)).toBe(false);
    expect(isFresh({ ...stored, t: now - 180 * day }, config, now)).toBe(false);
    expect(isFresh(null, config, now)).toBe(false);
  });
});
