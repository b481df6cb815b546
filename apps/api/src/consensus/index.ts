export {
  buildConsensus,
  CONSENSUS_ALLELE_FREQUENCY,
  type ConsensusInput,
  type ConsensusRecord,
  type ConsensusReference,
  type SkippedCall,
} from './build.js';
export { type ConsensusCall, ConsensusCallError, SYMBOLIC_DELETION } from './edits.js';
export { FASTA_LINE_WIDTH, formatConsensusFasta } from './fasta.js';
