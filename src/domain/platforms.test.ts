/**
 * The platform presets (issue 4): eligibility for UK political advertising as the research
 * notes give it (audiences.md, law.md), what each platform's terms cover, every fact with its
 * source, and no party ever assigned on the DPO's behalf.
 */
import { describe, expect, it } from 'vitest';
import { JOINT_CONTROLLER_SCOPES, RESPONSIBILITIES } from './governance.js';
import { PLATFORM_PRESETS, SOURCES, presetOf, scopeEligibility } from './platforms.js';

describe('platform presets', () => {
  it('covers Meta, Google, X, Snap, LinkedIn and TikTok, every scope, each fact with a source', () => {
    expect(Object.keys(PLATFORM_PRESETS)).toEqual(['meta', 'google', 'x', 'snap', 'linkedin', 'tiktok']);
    for (const preset of Object.values(PLATFORM_PRESETS)) {
      expect(preset.eligibility.sources.length).toBeGreaterThan(0);
      expect(Object.keys(preset.scopes)).toEqual([...JOINT_CONTROLLER_SCOPES]);
      for (const terms of Object.values(preset.scopes)) {
        expect(terms.sources.length).toBeGreaterThan(0);
        expect(terms.coverage.length).toBeGreaterThan(20);
        for (const key of Object.keys(terms.notes)) expect(RESPONSIBILITIES).toContain(key);
        // A preset carries notes only: no party is ever pre-assigned.
        for (const note of Object.values(terms.notes)) expect(typeof note).toBe('string');
        if (terms.covered === null) expect(terms.sources).toContain(SOURCES.notResearched);
      }
    }
  });

  it.each([
    ['meta', 'allowed_with_condition', /social issues, elections or politics/],
    ['google', 'restricted', /UK election ads/],
    ['x', 'allowed', /allowed in the UK/],
    ['snap', 'allowed_with_condition', /paid for by/],
    ['linkedin', 'banned', /banned/],
    ['tiktok', 'banned', /banned/],
  ] as const)('%s: %s for UK political advertising', (platform, status, text) => {
    const e = PLATFORM_PRESETS[platform].eligibility;
    expect(e.status).toBe(status);
    expect(`${e.summary} ${e.condition ?? ''}`).toMatch(text);
  });

  it("records that Meta's controller addendum covers only the pixel and SDKs, so custom audiences need their own allocation", () => {
    const meta = PLATFORM_PRESETS.meta.scopes;
    expect(meta.pixels_plugins.covered).toBe(true);
    expect(meta.pixels_plugins.coverage).toMatch(
      /collection and transmission of data by Meta's pixel and SDKs — and only that/,
    );
    expect(meta.custom_audiences.covered).toBe(false);
    expect(meta.custom_audiences.coverage).toMatch(/does not allocate the Art 26 responsibilities/);
    expect(meta.custom_audiences.sources).toContain(SOURCES.metaAddendum);
    expect(meta.lookalikes.covered).toBe(false);
    expect(meta.custom_audiences.notes.rights_requests).toMatch(/remove later objectors/);
  });

  it.each([
    ['linkedin', 'custom_audiences', 'forbidden'],
    ['linkedin', 'lookalikes', 'forbidden'],
    ['linkedin', 'pixels_plugins', 'forbidden'],
    ['linkedin', 'page_insights', 'allowed'],
    ['tiktok', 'custom_audiences', 'forbidden'],
    ['google', 'custom_audiences', 'forbidden'],
    ['google', 'lookalikes', 'forbidden'],
    ['google', 'pixels_plugins', 'allowed'],
    ['meta', 'custom_audiences', 'conditional'],
    ['meta', 'page_insights', 'allowed'],
    ['snap', 'lookalikes', 'conditional'],
    ['x', 'custom_audiences', 'allowed'],
    ['other', 'custom_audiences', 'unknown'],
  ] as const)('ONL-PLATFORM-ELIGIBILITY: %s, %s is %s', (platform, scope, status) => {
    expect(scopeEligibility(platform, scope).status).toBe(status);
  });

  it('has no preset for another platform', () => {
    expect(presetOf('other')).toBeNull();
    expect(presetOf('x')?.name).toBe('X');
  });
});
