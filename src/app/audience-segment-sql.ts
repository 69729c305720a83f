/**
 * The SQL selection of a saved segment (src/domain/audiences/segment.ts): the condition, over
 * `people` aliased `p`, that selects the segment's people. Every subquery is bound to
 * p.campaign_id (row-level security draws the campaign boundary too); values are parameters.
 */
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { SegmentDefinition } from '../domain/audiences/segment.js';

/** The JSON containment document for one attribute value (the people.facts layout). */
const factDocument = (name: string, value?: string): string =>
  JSON.stringify([value === undefined ? { f: `attribute:${name}` } : { f: `attribute:${name}`, v: value }]);

/**
 * The condition that selects the segment's people, for a query over `people` aliased `p`.
 * Every subquery is bound to p.campaign_id (row-level security draws the campaign boundary too).
 */
export function segmentCondition(d: SegmentDefinition): Expression<SqlBool> {
  const parts: RawBuilder<unknown>[] = [];
  const memberOf = (table: 'person_tags' | 'list_members', column: 'tag_id' | 'list_id', ids: readonly string[]) =>
    sql`EXISTS (SELECT 1 FROM ${sql.table(table)} m WHERE m.campaign_id = p.campaign_id AND m.person_id = p.person_id
        AND m.${sql.ref(column)} IN (${sql.join(ids.map((id) => sql`${id}::uuid`))}))`;
  const collection = (
    table: 'person_tags' | 'list_members',
    column: 'tag_id' | 'list_id',
    items: readonly { id: string }[],
    match: 'any' | 'all',
  ): void => {
    if (items.length === 0) return;
    if (match === 'any')
      parts.push(
        memberOf(
          table,
          column,
          items.map((i) => i.id),
        ),
      );
    else for (const item of items) parts.push(memberOf(table, column, [item.id]));
  };
  collection('person_tags', 'tag_id', d.tags, d.tagMatch);
  collection('list_members', 'list_id', d.lists, d.listMatch);
  if (d.sources.length > 0) {
    const ids = sql.join(d.sources.map((id) => sql`${id}::uuid`));
    parts.push(
      sql`(p.first_source_id IN (${ids}) OR EXISTS (SELECT 1 FROM person_sources s WHERE s.campaign_id = p.campaign_id
          AND s.person_id = p.person_id AND s.source_id IN (${ids})))`,
    );
  }
  for (const a of d.attributes) {
    const docs = a.values.length === 0 ? [factDocument(a.name)] : a.values.map((v) => factDocument(a.name, v));
    parts.push(
      sql`(${sql.join(
        docs.map((doc) => sql`p.facts @> ${doc}::jsonb`),
        sql` OR `,
      )})`,
    );
  }
  if (d.consent !== null) {
    const granted = sql`EXISTS (SELECT 1 FROM consent_state c WHERE c.campaign_id = p.campaign_id
        AND c.person_id = p.person_id AND c.purpose = ${d.consent.purpose} AND c.channel = ${d.consent.channel}
        AND c.granted)`;
    parts.push(d.consent.state === 'granted' ? granted : sql`NOT ${granted}`);
  }
  if (parts.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(parts, sql` AND `)})`;
}
