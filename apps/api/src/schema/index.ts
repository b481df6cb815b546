import { builder } from './builder.js';
import './errors.js';
import './run.js';

/** The executable GraphQL schema, assembled from every domain file. */
export const schema = builder.toSchema({ sortSchema: false });
