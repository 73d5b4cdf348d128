import {
  AliasNode,
  TableNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

/**
 * Counts the statements run through a Kysely instance that carries it (`kysely.withPlugin(counter)`),
 * each named by its kind and first table ("select tickets"): tests use it to show that a page runs
 * the same queries whatever its length. Statements that fail are not counted.
 */
export class QueryCounter implements KyselyPlugin {
  // transformQuery is not always followed by transformResult (a query compiled, never run).
  private readonly described = new WeakMap<QueryId, string>();
  private readonly log: string[] = [];

  /** Statements run so far. */
  get count(): number {
    return this.log.length;
  }

  /** The statements run since `mark` (an earlier `count`), in order. */
  since(mark: number): string[] {
    return this.log.slice(mark);
  }

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    this.described.set(queryId, describe(node));
    return node;
  }

  async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.log.push(this.described.get(queryId) ?? 'query');
    // Long-running processes keep a counter only in tests; still, the log stays bounded.
    if (this.log.length > 100_000) this.log.splice(0, 50_000);
    return result;
  }
}

function describe(node: RootOperationNode): string {
  const verb = node.kind.replace(/QueryNode$|Node$/, '').toLowerCase();
  const table = firstTable(node);
  return table ? `${verb} ${table}` : verb;
}

function firstTable(node: RootOperationNode): string | undefined {
  const candidates: (OperationNode | undefined)[] = [];
  if ('from' in node && node.from && 'froms' in node.from) candidates.push(...node.from.froms);
  if ('into' in node) candidates.push(node.into);
  if ('table' in node) candidates.push(node.table);
  for (const candidate of candidates) {
    const table = candidate && AliasNode.is(candidate) ? candidate.node : candidate;
    if (table && TableNode.is(table)) return table.table.identifier.name;
  }
  return undefined;
}
