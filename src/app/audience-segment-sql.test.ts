import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { segmentDefinitionSchema, type SegmentDefinitionInput } from '../domain/audiences/segment.js';
import { segmentCondition } from './audience-segment-sql.js';

const TAG = '0190a0b0-0000-7000-8000-000000000001';
const TAG2 = '0190a0b0-0000-7000-8000-000000000002';
const LIST = '0190a0b0-0000-7000-8000-000000000003';
const SOURCE = '0190a0b0-0000-7000-8000-000000000004';

const compiler = new Kysely<Record<string, never>>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

const compile = (input: SegmentDefinitionInput): { sql: string; parameters: readonly unknown[] } =>
  sql`SELECT 1 FROM people p WHERE ${segmentCondition(segmentDefinitionSchema.parse(input))}`.compile(compiler);

describe('segment SQL', () => {
  it('ANDs the criteria; any tag by default, every tag with all', () => {
    const any = compile({ tags: [{ id: TAG }, { id: TAG2 }], sources: [SOURCE] });
    expect(any.sql.match(/person_tags/g)).toHaveLength(1);
    expect(any.sql).toContain('first_source_id IN');
    expect(any.sql).toContain(' AND ');
    expect(any.parameters).toEqual(expect.arrayContaining([TAG, TAG2, SOURCE]));
    const all = compile({ tags: [{ id: TAG }, { id: TAG2 }], tagMatch: 'all' });
    expect(all.sql.match(/person_tags/g)).toHaveLength(2);
  });

  it('selects attributes by containment in people.facts, values as parameters', () => {
    const c = compile({ attributes: [{ name: 'support_score', values: ['5', '4'] }], lists: [{ id: LIST }] });
    expect(c.sql).toContain('p.facts @> $');
    expect(c.sql).toContain('list_members');
    expect(c.parameters).toContain(JSON.stringify([{ f: 'attribute:support_score', v: '5' }]));
    expect(c.parameters).toContain(JSON.stringify([{ f: 'attribute:support_score', v: '4' }]));
  });

  it('reads the consent state, granted or not', () => {
    const granted = compile({ tags: [{ id: TAG }], consent: { purpose: 'news', channel: 'email' } });
    expect(granted.sql).toMatch(/EXISTS \(SELECT 1 FROM consent_state/);
    expect(granted.sql).not.toContain('NOT EXISTS');
    const not = compile({ tags: [{ id: TAG }], consent: { purpose: 'news', channel: 'email', state: 'not_granted' } });
    expect(not.sql).toContain('NOT EXISTS');
  });
});
