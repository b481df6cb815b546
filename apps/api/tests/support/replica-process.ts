import { type HelixProcess, runHelix } from './process.js';
import { testKeys } from './server.js';

/** A `helix serve` process and the GraphQL URL it listens on. */
export interface ReplicaProcess {
  process: HelixProcess;
  url: string;
}

/** Starts `helix serve` and waits until its database is ready. */
export async function startReplicaProcess(env: Record<string, string>): Promise<ReplicaProcess> {
  const child = runHelix(['serve'], env);
  await child.waitFor('database ready');
  return { process: child, url: /"url":"(http:[^"]+)"/.exec(child.output())?.[1] as string };
}

/** A GraphQL POST to `replica` with the operator key; throws with the API's messages if it answers errors. */
export async function operatorGraphql<T>(replica: ReplicaProcess, query: string): Promise<T> {
  const response = await fetch(replica.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${testKeys.operator}` },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors) throw new Error(body.errors.map((error) => error.message).join('; '));
  return body.data as T;
}
