import { builder } from './builder.js';
import './errors.js';
import './sample.js';
import './run.js';
import './genome.js';
import './pipeline.js';
import './analysis.js';
import './variant.js';
import './concern.js';
import './mutation-detected.js';
import './metrics.js';
import './interpretation.js';
import './me.js';
import './keys.js';

/** The executable GraphQL schema, assembled from every domain file. */
export const schema = builder.toSchema({ sortSchema: false });
