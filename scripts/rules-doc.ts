/**
 * Generates docs/rules.md from the code: for every rule id of the catalogue
 * (src/domain/rules/catalogue.ts, mirroring the research notes' docs/law.md) its citation and
 * action, the exported functions that implement it, the capabilities that check it
 * (src/domain/rules/engine.ts) and the test files whose test titles name it. Ids with no
 * implementation are listed as "not implemented".
 *
 * Implementations are found by importing every src/domain/rules/*.ts file (tests excluded) and
 * keeping each export that is a rule (an object with `meta.id` and `evaluate`) and is declared
 * in that file; a new rule file is picked up with no change here. Test titles are read with the
 * TypeScript parser: the first argument of describe/it/test (and their .each/.only/.concurrent
 * forms, not .skip or .todo).
 *
 *   npm run rules:doc            writes docs/rules.md
 *   npm run rules:doc -- --check exits 1 when docs/rules.md is stale
 * (src/domain/rules/rules-doc.test.ts fails too when it is stale.)
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import ts from 'typescript';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const RULES_DIR = 'src/domain/rules';
export const DOC_PATH = 'docs/rules.md';
/** Where tests live (each *.test.ts file below them is read). */
const TEST_ROOTS = ['src', 'test'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage', 'data', 'scratch']);

interface RuleLike {
  meta: { id: string; citation: string; action: string; when: string; unconfirmed?: boolean };
  evaluate: (facts: never) => unknown;
}

export interface Implementation {
  /** Repository-relative path of the file that declares it. */
  file: string;
  exportName: string;
  /** The capabilities whose decisions run it. */
  capabilities: string[];
}

export interface RuleEntry {
  id: string;
  citation: string;
  action: string;
  when: string;
  unconfirmed: boolean;
  implementations: Implementation[];
  /** Test files whose test titles name the id. */
  tests: string[];
}

export interface RulesScan {
  entries: RuleEntry[];
  /** Rules exported by the rule files whose id is not in the catalogue. */
  unknown: Implementation[];
  /** The rule objects found, for cross-checks against the engine. */
  ruleObjects: Set<unknown>;
  /** Capabilities in the engine's order, with the ids each checks. */
  capabilities: { capability: string; description: string; ruleIds: string[] }[];
}

const isRule = (value: unknown): value is RuleLike =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as RuleLike).evaluate === 'function' &&
  typeof (value as RuleLike).meta === 'object' &&
  typeof (value as RuleLike).meta?.id === 'string';

const posix = (path: string): string => path.split('\\').join('/');

async function listFiles(dir: string, keep: (name: string) => boolean, recursive: boolean): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive && !SKIP_DIRS.has(entry.name)) out.push(...(await listFiles(path, keep, recursive)));
    } else if (keep(entry.name)) {
      out.push(path);
    }
  }
  return out.sort();
}

const CALLEES = new Set(['describe', 'it', 'test', 'suite']);
const EXCLUDED_MODIFIERS = new Set(['skip', 'todo']);

/** The chain of names of a callee: it.each(...)  →  ['it', 'each']. */
function calleeChain(expression: ts.Expression): string[] | null {
  if (ts.isIdentifier(expression)) return [expression.text];
  if (ts.isPropertyAccessExpression(expression)) {
    const head = calleeChain(expression.expression);
    return head ? [...head, expression.name.text] : null;
  }
  // it.each(table)('title', fn): the callee is itself a call.
  if (ts.isCallExpression(expression)) return calleeChain(expression.expression);
  return null;
}

/** The titles of the describe/it/test calls of a test file (skipped and todo tests excluded). */
export function testTitles(source: string, fileName = 'test.ts'): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const titles: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const chain = calleeChain(node.expression);
      const title = node.arguments[0];
      if (
        chain &&
        CALLEES.has(chain[0]!) &&
        !chain.some((name) => EXCLUDED_MODIFIERS.has(name)) &&
        // `it.each(table)` alone is the table, not a title.
        !(chain.at(-1) === 'each' && !ts.isCallExpression(node.expression)) &&
        title &&
        (ts.isStringLiteral(title) || ts.isNoSubstitutionTemplateLiteral(title) || ts.isTemplateExpression(title))
      ) {
        titles.push(ts.isTemplateExpression(title) ? title.getText(file) : title.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return titles;
}

/** Whether a title names the id as a whole word (DM-SUPPRESSION, not DM-SUPPRESSION-X). */
export const namesId = (title: string, id: string): boolean =>
  new RegExp(`(^|[^A-Z0-9-])${id.replace(/[-]/g, '\\-')}($|[^A-Z0-9-])`).test(title);

/** Scans the rule files, the engine and the tests. */
export async function scanRules(root: string = ROOT): Promise<RulesScan> {
  const { RULE_CATALOGUE } = (await import(join(root, RULES_DIR, 'catalogue.ts'))) as {
    RULE_CATALOGUE: Record<string, RuleLike['meta']>;
  };
  const engine = (await import(join(root, RULES_DIR, 'engine.ts'))) as {
    ALL_RULES: readonly { rule: unknown; capabilities: readonly string[] }[];
    CAPABILITIES: readonly string[];
    CAPABILITY_DESCRIPTIONS: Record<string, string>;
  };
  const capabilitiesOf = (rule: unknown): string[] => {
    const found = new Set(engine.ALL_RULES.filter((b) => b.rule === rule).flatMap((b) => b.capabilities));
    return engine.CAPABILITIES.filter((c) => found.has(c));
  };

  const ruleFiles = await listFiles(
    join(root, RULES_DIR),
    (name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts'),
    false,
  );
  const byId = new Map<string, Implementation[]>();
  const unknown: Implementation[] = [];
  const ruleObjects = new Set<unknown>();
  for (const path of ruleFiles) {
    const text = await readFile(path, 'utf8');
    const mod = (await import(path)) as Record<string, unknown>;
    const file = posix(relative(root, path));
    for (const [exportName, value] of Object.entries(mod).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (!isRule(value)) continue;
      // Declared here, not re-exported from another file.
      if (!new RegExp(`export\\s+(?:const|let|var|function)\\s+${exportName}\\b`).test(text)) continue;
      ruleObjects.add(value);
      const impl: Implementation = { file, exportName, capabilities: capabilitiesOf(value) };
      if (Object.hasOwn(RULE_CATALOGUE, value.meta.id)) {
        byId.set(value.meta.id, [...(byId.get(value.meta.id) ?? []), impl]);
      } else {
        unknown.push(impl);
      }
    }
  }

  const testFiles = (
    await Promise.all(TEST_ROOTS.map((dir) => listFiles(join(root, dir), (name) => /\.test\.tsx?$/.test(name), true)))
  ).flat();
  const titlesByFile = new Map<string, string[]>();
  for (const path of testFiles) {
    titlesByFile.set(posix(relative(root, path)), testTitles(await readFile(path, 'utf8'), path));
  }

  const entries: RuleEntry[] = Object.values(RULE_CATALOGUE).map((meta) => ({
    id: meta.id,
    citation: meta.citation,
    action: meta.action,
    when: meta.when,
    unconfirmed: meta.unconfirmed === true,
    implementations: byId.get(meta.id) ?? [],
    tests: [...titlesByFile]
      .filter(([, titles]) => titles.some((t) => namesId(t, meta.id)))
      .map(([file]) => file)
      .sort(),
  }));

  const capabilities = engine.CAPABILITIES.map((capability) => {
    const ids = new Set(
      engine.ALL_RULES.filter((b) => b.capabilities.includes(capability)).map((b) => (b.rule as RuleLike).meta.id),
    );
    return {
      capability,
      description: engine.CAPABILITY_DESCRIPTIONS[capability] ?? '',
      ruleIds: entries.map((e) => e.id).filter((id) => ids.has(id)),
    };
  });

  return { entries, unknown, ruleObjects, capabilities };
}

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const code = (text: string): string => `\`${text}\``;
/** A link to a repository file from docs/, its text the given label (the file name by default). */
const link = (file: string, label: string = file.slice(file.lastIndexOf('/') + 1)): string =>
  `[${code(label)}](../${file})`;

/** The Markdown of docs/rules.md, formatted as Prettier formats it. */
export async function renderRulesDoc(scan: RulesScan, root: string = ROOT): Promise<string> {
  const { entries, capabilities } = scan;
  const implemented = entries.filter((e) => e.implementations.length > 0);
  const missing = entries.filter((e) => e.implementations.length === 0);
  const lines: string[] = [
    '# Rules: law → code → test',
    '',
    '<!-- Generated by `npm run rules:doc` (scripts/rules-doc.ts) from src/domain/rules. Do not edit by hand: the test src/domain/rules/rules-doc.test.ts fails when this file is stale. -->',
    '',
    'Every rule of the catalogue in the research notes (`docs/law.md`) as Canvass implements it: its citation; its action when it fires (**refuse** blocks; **require** blocks until a record exists; **warn** lets the processing go ahead and is recorded; **allow** records its reasoning); the exported functions that implement it (each links to its file); and the test files whose test titles name it. [U]: not confirmed from a primary source — the rule only warns until the campaign’s DPO confirms it. The capabilities that check each rule (`decideAction` in `src/domain/rules/engine.ts`) follow the table.',
    '',
    `${entries.length} rules in the catalogue: ${implemented.length} implemented, ${missing.length} not implemented${missing.length > 0 ? ` (${missing.map((e) => e.id).join(', ')})` : ''}.`,
    '',
    '| Id | When | Citation | Action | Implemented by | Tests |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const e of entries) {
    const impls =
      e.implementations.length === 0
        ? '**not implemented**'
        : e.implementations.map((i) => link(i.file, i.exportName)).join(', ');
    lines.push(
      `| ${[
        `**${e.id}**${e.unconfirmed ? ' [U]' : ''}`,
        cell(e.when),
        cell(e.citation),
        e.action,
        impls,
        e.tests.length === 0 ? '**none**' : e.tests.map((t) => link(t)).join(', '),
      ].join(' | ')} |`,
    );
  }
  lines.push(
    '',
    '## Capabilities',
    '',
    'Each capability asks the rules engine before it processes personal data (`decideAction({ capability, facts })`); these rules decide it. A rule implemented but not listed here is not yet registered in the engine.',
    '',
    '| Capability | What | Rules |',
    '| --- | --- | --- |',
    ...capabilities.map(
      (c) =>
        `| ${code(c.capability)} | ${cell(c.description)} | ${c.ruleIds.length === 0 ? '**none**' : c.ruleIds.join(', ')} |`,
    ),
  );
  const unbound = entries.flatMap((e) =>
    e.implementations.filter((i) => i.capabilities.length === 0).map((i) => ({ id: e.id, ...i })),
  );
  if (unbound.length > 0) {
    lines.push(
      '',
      '### Implemented, not yet registered in the engine',
      '',
      'These functions are called directly by their use cases; `decideAction` does not run them yet.',
      '',
      ...unbound.map((u) => `- **${u.id}**: ${link(u.file, u.exportName)}`),
    );
  }
  lines.push('');
  const docPath = join(root, DOC_PATH);
  const options = (await prettier.resolveConfig(docPath)) ?? {};
  return prettier.format(lines.join('\n'), { ...options, filepath: docPath });
}

export async function generateRulesDoc(root: string = ROOT): Promise<string> {
  return renderRulesDoc(await scanRules(root), root);
}

async function main(argv: readonly string[]): Promise<number> {
  const docPath = join(ROOT, DOC_PATH);
  const next = await generateRulesDoc();
  if (argv.includes('--check')) {
    const current = await readFile(docPath, 'utf8').catch(() => null);
    if (current !== next) {
      process.stderr.write(`${DOC_PATH} is stale: run \`npm run rules:doc\`\n`);
      return 1;
    }
    process.stdout.write(`${DOC_PATH} is current\n`);
    return 0;
  }
  await writeFile(docPath, next);
  process.stdout.write(`wrote ${DOC_PATH}\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
