import 'server-only';
import { z } from 'zod';

const schema = z.object({
  HELIX_API_URL: z
    .url({
      protocol: /^https?$/,
      message: 'HELIX_API_URL must be an http(s) URL such as http://127.0.0.1:4000/graphql',
    })
    .default('http://127.0.0.1:4000/graphql'),
});

function parse() {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue?.path.join('.') ?? 'environment'}: ${issue?.message ?? 'invalid'}`);
  }
  const graphqlUrl = new URL(parsed.data.HELIX_API_URL);
  return {
    /** The API's GraphQL endpoint. */
    graphqlUrl: graphqlUrl.toString(),
    /** The API's origin, for its other routes (VCF downloads). */
    apiOrigin: graphqlUrl.origin,
  };
}

/** The dashboard server's configuration, parsed once; nothing else reads `process.env`. */
export const env = parse();
