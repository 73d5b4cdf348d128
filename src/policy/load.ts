import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML, { type Document, type Node as YamlNode } from 'yaml';
import { formatProblem, validatePolicy, type PolicyProblem, type SupportPolicy } from './schema.js';

export type { PolicyProblem, SupportPolicy } from './schema.js';

export type PolicyLoadResult =
  { ok: true; policy: SupportPolicy; raw: unknown } | { ok: false; problems: PolicyProblem[] };

/** A policy that does not validate where one is required; the problems say why. */
export class PolicyError extends Error {
  constructor(
    readonly source: string,
    readonly problems: PolicyProblem[],
  ) {
    super(
      `${source} is not a valid support policy:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`,
    );
    this.name = 'PolicyError';
  }
}

/**
 * Reads a policy from YAML text. Syntax errors come back with their line and column and stop
 * there (a half-read document would only produce misleading schema problems); otherwise every
 * schema problem is reported with its dotted path and the line it is on.
 */
export function loadPolicyText(text: string, source?: string): PolicyLoadResult {
  const lineCounter = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });

  const syntax = [...doc.errors, ...doc.warnings].map((error): PolicyProblem => {
    const position = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
    const where = `${position.line}:${position.col}`;
    return {
      path: source ? `${source}:${where}` : where,
      message: firstLine(error.message).replace(/ at line \d+, column \d+:?$/, ''),
      line: position.line,
      column: position.col,
    };
  });
  if (syntax.length > 0) return { ok: false, problems: syntax };

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    return { ok: false, problems: [{ path: source ?? '', message: (error as Error).message }] };
  }

  const validation = validatePolicy(raw);
  if (!validation.ok) {
    // File order reads best: the author fixes the file from top to bottom.
    const problems = validation.problems
      .map((problem) => locate(doc, lineCounter, problem))
      .sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0));
    return { ok: false, problems };
  }
  return { ok: true, policy: validation.policy, raw };
}

/** Reads and validates a policy file; the only I/O of the policy context. */
export function loadPolicyFile(file: string): PolicyLoadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, problems: [{ path: file, message: `cannot be read (${(error as Error).message})` }] };
  }
  return loadPolicyText(text, file);
}

/** The folder holding package.json above `from`: the repository root from src/policy and from dist/policy alike. */
export function repositoryRoot(from: string = import.meta.dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** policy/default.yaml at the repository root. */
export function defaultPolicyPath(): string {
  return path.join(repositoryRoot(), 'policy', 'default.yaml');
}

/** The policy Accord ships with; a broken default is a defect, so it throws with every problem. */
export function loadDefaultPolicy(): SupportPolicy {
  const file = defaultPolicyPath();
  const result = loadPolicyFile(file);
  if (!result.ok) throw new PolicyError(file, result.problems);
  return result.policy;
}

/**
 * What `accord policy check FILE` prints: one `path: message` line per problem, or a one-line
 * summary of a valid policy. The command exits 1 when `ok` is false.
 */
export function checkPolicyFile(file: string): { ok: boolean; lines: string[] } {
  const result = loadPolicyFile(file);
  if (!result.ok) return { ok: false, lines: result.problems.map(formatProblem) };
  const { policy } = result;
  const tiers = Object.keys(policy.tiers).length;
  return {
    ok: true,
    lines: [
      `${file}: valid support policy ${policy.id}, version ${policy.version}, effective from ${policy.effectiveFrom}, ${tiers} tiers`,
    ],
  };
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0]!.trim();
}

/**
 * Places a problem in the file: the value at its path, or for a missing key the key of the mapping
 * that lacks it. Aliases are followed, so a problem in `targets.enterprise` shared from premium
 * points at the anchored values.
 */
function locate(doc: Document, lineCounter: YAML.LineCounter, problem: PolicyProblem): PolicyProblem {
  const segments = problem.path === '' ? [] : problem.path.split('.');
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  let lastKeyOffset: number | undefined;
  for (const segment of segments) {
    if (YAML.isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    let keyOffset: number | undefined;
    if (YAML.isMap(node)) {
      const pair = node.items.find(
        (item) => String(YAML.isScalar(item.key) ? item.key.value : item.key) === segment,
      );
      next = pair?.value;
      keyOffset = rangeStart(pair?.key);
    } else if (YAML.isSeq(node) && /^\d+$/.test(segment)) {
      next = node.items[Number(segment)];
    }
    const start = rangeStart(next) ?? keyOffset;
    if (start === undefined) {
      offset = lastKeyOffset ?? offset;
      break;
    }
    offset = start;
    lastKeyOffset = keyOffset ?? start;
    node = next;
  }
  const { line, col } = lineCounter.linePos(offset);
  return { ...problem, line, column: col };
}

function rangeStart(node: unknown): number | undefined {
  return YAML.isNode(node) ? (node as YamlNode).range?.[0] : undefined;
}
