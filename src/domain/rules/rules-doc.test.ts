/**
 * docs/rules.md is generated from the code (scripts/rules-doc.ts): it must be current, every
 * implemented catalogue rule must have a test whose title names its id, and every rule the
 * engine runs must be one the doc can name.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DOC_PATH,
  namesId,
  renderRulesDoc,
  ROOT,
  scanRules,
  testTitles,
  type RulesScan,
} from '../../../scripts/rules-doc.js';
import { RULE_CATALOGUE } from './catalogue.js';
import { ALL_RULES } from './engine.js';

let scan: RulesScan;
beforeAll(async () => {
  scan = await scanRules();
}, 60_000);

describe('docs/rules.md', () => {
  it('is current (run `npm run rules:doc` after changing a rule, its tests or the engine)', async () => {
    const expected = await renderRulesDoc(scan);
    const actual = await readFile(join(ROOT, DOC_PATH), 'utf8').catch(() => '(missing)');
    expect(actual, `${DOC_PATH} is stale: run \`npm run rules:doc\``).toBe(expected);
  });

  it('lists every catalogue id, implemented or not', () => {
    expect(scan.entries.map((e) => e.id)).toEqual(Object.keys(RULE_CATALOGUE));
  });

  it('every implemented catalogue rule has a test whose title names its id', () => {
    const untested = scan.entries.filter((e) => e.implementations.length > 0 && e.tests.length === 0).map((e) => e.id);
    expect(untested, 'add a table-driven test whose describe/it title names each of these ids').toEqual([]);
  });

  it('every exported rule carries a catalogue id', () => {
    expect(scan.unknown.map((u) => `${u.file}#${u.exportName}`)).toEqual([]);
  });

  it('every rule the engine runs is exported from a rule file, so the doc names it', () => {
    const hidden = ALL_RULES.filter((b) => !scan.ruleObjects.has(b.rule)).map((b) => b.rule.meta.id);
    expect(hidden).toEqual([]);
  });
});

describe('reading test titles', () => {
  const source = `
    describe('DM-SUPPRESSION', () => {
      it.each([['a', 1]])('%s (PECR-R21-TPS)', () => {});
      it('plain', () => {});
      it.skip('skipped DSAR-CLOCK', () => {});
      it.todo('todo COMPLAINT-30D');
      test.concurrent(\`template RET-CONSENT-PROOF\`, () => {});
      describe.each([1])('nested IMPRINT-CONTENTS %i', () => {});
    });
    helper('NOT-A-TITLE');
  `;
  it('finds describe/it/test titles, .each included, .skip and .todo excluded', () => {
    expect(testTitles(source)).toEqual([
      'DM-SUPPRESSION',
      '%s (PECR-R21-TPS)',
      'plain',
      'template RET-CONSENT-PROOF',
      'nested IMPRINT-CONTENTS %i',
    ]);
  });
  it.each([
    ['DM-SUPPRESSION', 'DM-SUPPRESSION', true],
    ['DM-SUPPRESSION (objections)', 'DM-SUPPRESSION', true],
    ['DM-SUPPRESSION-X', 'DM-SUPPRESSION', false],
    ['PECR-R22-PRIOR-CONSENT', 'PECR-R6-PRIOR-CONSENT', false],
    ['SCD-P22-ELIGIBLE: refuses once confirmed', 'SCD-P22-ELIGIBLE', true],
  ] as const)('"%s" names %s: %s', (title, id, expected) => {
    expect(namesId(title, id)).toBe(expected);
  });
});
