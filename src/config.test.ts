import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('defaults to PGlite in ./data on port 3000', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.database.kind).toBe('pglite');
    expect(c.publicUrl).toBe('http://localhost:3000');
  });
  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://app@db/canvass', PUBLIC_URL: 'https://canvass.example.org/' });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://app@db/canvass', maxConnections: 10 });
    expect(c.publicUrl).toBe('https://canvass.example.org');
  });
  it.each([
    { env: { PORT: 'eighty' }, variable: 'PORT' },
    { env: { DATABASE_URL: 'mysql://x' }, variable: 'DATABASE_URL' },
    { env: { TRUST_PROXY: 'maybe' }, variable: 'TRUST_PROXY' },
    { env: { PUBLIC_URL: 'not a url' }, variable: 'PUBLIC_URL' },
  ])('refuses invalid $variable, naming it', ({ env, variable }) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(variable));
  });
});
