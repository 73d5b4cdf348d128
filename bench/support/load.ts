import autocannon from 'autocannon';

/** Load is generated in a worker thread, so that the client does not share the server's event loop. */
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);

export interface LoadOutcome {
  /** 2xx responses. */
  ok: number;
  failed: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Status codes and errors other than 2xx, e.g. { "422": 3, errors: 1 }. */
  problems: Record<string, number>;
}

function outcome(result: autocannon.Result): LoadOutcome {
  const problems: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats)) {
    if (!code.startsWith('2')) problems[code] = stat.count;
  }
  if (result.errors > 0) problems.errors = result.errors;
  if (result.timeouts > 0) problems.timeouts = result.timeouts;
  const ok = result['2xx'];
  return {
    ok,
    failed: result.non2xx + result.errors,
    seconds: result.duration,
    perSecond: result.duration > 0 ? ok / result.duration : 0,
    p50: result.latency.p50,
    p99: result.latency.p99,
    problems,
  };
}

/** Sends exactly `amount` POSTs cycling through `bodies`, `connections` at a time. */
export async function postMany(
  baseUrl: string,
  path: string,
  token: string,
  bodies: readonly object[],
  amount: number,
  connections: number,
): Promise<LoadOutcome> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const result = await autocannon({
    url: baseUrl,
    amount,
    connections: Math.min(connections, amount),
    workers: WORKERS,
    timeout: 60,
    requests: bodies.map((body) => ({ method: 'POST', path, headers, body: JSON.stringify(body) })),
  });
  return outcome(result);
}

/** GETs one path from `connections` clients for `duration` seconds. */
export async function getFor(
  baseUrl: string,
  path: string,
  token: string,
  duration: number,
  connections: number,
): Promise<LoadOutcome> {
  const result = await autocannon({
    url: `${baseUrl}${path}`,
    duration,
    connections,
    workers: WORKERS,
    timeout: 60,
    headers: { authorization: `Bearer ${token}` },
  });
  return outcome(result);
}

/** POSTs from `connections` clients for `duration` seconds, each client cycling through `bodies`. */
export async function postFor(
  baseUrl: string,
  path: string,
  token: string,
  bodies: readonly object[],
  duration: number,
  connections: number,
): Promise<LoadOutcome> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const result = await autocannon({
    url: baseUrl,
    duration,
    connections,
    workers: WORKERS,
    timeout: 60,
    requests: bodies.map((body) => ({ method: 'POST', path, headers, body: JSON.stringify(body) })),
  });
  return outcome(result);
}
