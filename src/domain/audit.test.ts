import { describe, expect, it } from 'vitest';
import { canonicalJson, GENESIS_HASH, hashEvent, verifyChain, type ChainedEvent } from './audit.js';

const CAMPAIGN = '11111111-1111-4111-8111-111111111111';

function chain(n: number): (ChainedEvent & { hash: string })[] {
  const events: (ChainedEvent & { hash: string })[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e: ChainedEvent = {
      campaignId: CAMPAIGN,
      seq,
      eventId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
      occurredAt: new Date(Date.UTC(2026, 10, 28, 12, 0, seq)),
      actorType: 'user',
      actorId: 'u1',
      type: 'campaign.updated',
      payload: { fields: ['name'], n: seq },
      prevHash: prev,
    };
    const hash = hashEvent(e);
    events.push({ ...e, hash });
    prev = hash;
  }
  return events;
}
const headOf = (events: { seq: number; hash: string }[]) => ({
  seq: events.at(-1)?.seq ?? 0,
  hash: events.at(-1)?.hash ?? GENESIS_HASH,
});

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });
});

describe('audit hash chain verification', () => {
  it('accepts an intact chain, including the empty one', () => {
    const events = chain(5);
    expect(verifyChain(events, headOf(events))).toEqual({ ok: true, eventsChecked: 5, headSeq: 5, problem: null });
    expect(verifyChain([], { seq: 0, hash: GENESIS_HASH }).ok).toBe(true);
  });

  const tampers: {
    name: string;
    tamper: (e: (ChainedEvent & { hash: string })[]) => (ChainedEvent & { hash: string })[];
    kind: string;
    seq: number;
  }[] = [
    {
      name: 'payload altered',
      tamper: (e) => e.map((x) => (x.seq === 3 ? { ...x, payload: { fields: ['evil'] } } : x)),
      kind: 'altered',
      seq: 3,
    },
    {
      name: 'actor altered',
      tamper: (e) => e.map((x) => (x.seq === 2 ? { ...x, actorId: 'someone-else' } : x)),
      kind: 'altered',
      seq: 2,
    },
    {
      name: 'time altered',
      tamper: (e) => e.map((x) => (x.seq === 4 ? { ...x, occurredAt: new Date(0) } : x)),
      kind: 'altered',
      seq: 4,
    },
    { name: 'middle event deleted', tamper: (e) => e.filter((x) => x.seq !== 3), kind: 'missing', seq: 3 },
    { name: 'newest event deleted', tamper: (e) => e.filter((x) => x.seq !== 5), kind: 'missing', seq: 5 },
    { name: 'first event deleted', tamper: (e) => e.filter((x) => x.seq !== 1), kind: 'missing', seq: 1 },
    {
      name: 'forged event appended past the head',
      tamper: (e) => {
        const last = e.at(-1)!;
        const forged: ChainedEvent = { ...last, seq: 6, eventId: 'forged', prevHash: last.hash };
        return [...e, { ...forged, hash: hashEvent(forged) }];
      },
      kind: 'inserted',
      seq: 6,
    },
    {
      name: 'event replaced by a self-consistent forgery',
      tamper: (e) =>
        e.map((x) => {
          if (x.seq !== 3) return x;
          const forged: ChainedEvent = { ...x, payload: { fields: ['forged'] }, prevHash: 'f'.repeat(64) };
          return { ...forged, hash: hashEvent(forged) };
        }),
      kind: 'inserted',
      seq: 3,
    },
  ];

  it.each(tampers)('$name → $kind at event $seq', ({ tamper, kind, seq }) => {
    const events = chain(5);
    const head = headOf(events);
    const result = verifyChain(tamper(events), head);
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ kind, seq });
    expect(result.problem!.message).toContain(String(seq));
  });

  it('detects a rewritten head', () => {
    const events = chain(3);
    expect(verifyChain(events, { seq: 3, hash: 'a'.repeat(64) }).problem?.kind).toBe('altered');
  });
});
