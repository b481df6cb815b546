/**
 * Population calling on mixtures: helix `--mode population` against the peers a surveillance lab
 * would run (iVar, freebayes `--pooled-continuous`, and `bcftools call` for contrast), on the same
 * reads in the same run with the machine's cores, scored per AF band and variant class against the
 * truth the mixture was built from (see bench/population/mixture.ts).
 *
 *   npx tsx bench/population.ts [--depth 1000] [--genome-length 200000] [--genome-start 0]
 *                               [--error-rate 0.002] [--min-af 0.01] [--seed 14] [--quick] [--keep]
 *
 * Every caller is asked to look as low as `--min-af` (default 0.01, the lowest band and freebayes'
 * documented `-F`): helix `--min-af`, iVar `-t`, freebayes `-F`; bcftools call has no such floor.
 *
 * Exits non-zero when a caller fails (helix's row then says why) or, at the issue's settings
 * (1,000×, 0.2 % errors), when the acceptance is not met.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { alignOnce } from './population/alignment.js';
import { type AlleleCall, normaliseVcf, readAlleleCalls } from './population/calls.js';
import { buildMixture, type Mixture } from './population/mixture.js';
import { POPULATION_PEERS } from './population/peers.js';
import { referenceSlice } from './population/reference.js';
import { ACCEPTANCE, type CallerOutcome, formatSpeed, formatTable, judgeAcceptance } from './population/report.js';
import { scorePopulation } from './population/score.js';
import { helixAnalyze } from './real/callers.js';
import { CORES } from './real/config.js';

/** One minor haplotype per band: its share of the reads is the AF of each of its variants. */
const AF_BANDS = [0.01, 0.02, 0.05, 0.1, 0.2];

const { values } = parseArgs({
  options: {
    depth: { type: 'string' },
    'genome-length': { type: 'string' },
    'genome-start': { type: 'string', default: '0' },
    'error-rate': { type: 'string', default: String(ACCEPTANCE.errorRate) },
    'min-af': { type: 'string', default: '0.01' },
    seed: { type: 'string', default: '14' },
    quick: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

function numberOption(name: string, text: string, valid: (value: number) => boolean): number {
  const value = Number(text);
  if (!Number.isFinite(value) || !valid(value)) throw new Error(`--${name} ${text}: not a valid value`);
  return value;
}

// --quick: a look in a minute or two, not a measurement.
const depth = numberOption('depth', values.depth ?? (values.quick ? '300' : '1000'), (value) => value >= 10);
const genomeLength = numberOption(
  'genome-length',
  values['genome-length'] ?? (values.quick ? '50000' : '200000'),
  (value) => Number.isInteger(value) && value >= 10_000,
);
const genomeStart = numberOption(
  'genome-start',
  values['genome-start'],
  (value) => Number.isInteger(value) && value >= 0,
);
const errorRate = numberOption('error-rate', values['error-rate'], (value) => value >= 0 && value < 0.1);
const seed = numberOption('seed', values.seed, Number.isInteger);
const minAlleleFrequency = numberOption('min-af', values['min-af'], (value) => value > 0 && value < 1);

/** Why a run failed, in one line: its exit status and the line of its output that names the error. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const [first = '', ...rest] = message.split('\n');
  const said = rest.map((line) => line.trim()).filter((line) => line !== '');
  const named = said.find((line) => /\b(error|unknown|invalid|cannot|failed|not)\b/i.test(line)) ?? said.at(-1);
  return named ? `${first.split(':')[0]}: ${named}` : first;
}

async function scored(mixture: Mixture, truth: AlleleCall[], vcfPath: string, genotyped: boolean) {
  const normalised = vcfPath.replace(/\.vcf$/, '.norm.vcf');
  await normaliseVcf(vcfPath, mixture.referencePath, normalised);
  return scorePopulation(truth, await readAlleleCalls(normalised, { genotyped }), AF_BANDS);
}

const root = await mkdtemp(join(tmpdir(), 'helix-bench-population-'));
const outcomes: CallerOutcome[] = [];
try {
  const reference = await referenceSlice({ start: genomeStart, length: genomeLength });
  const mixture = await buildMixture({
    reference,
    directory: root,
    depth,
    errorRate,
    readLength: 150,
    fractions: AF_BANDS,
    spacing: 400,
    indelShare: 0.2,
    maxIndelLength: 6,
    seed,
  });
  const snvs = mixture.truth.filter((variant) => variant.class === 'SNV').length;
  console.log(
    `# population calling (${CORES} cores for every caller): ${reference.name} ${genomeStart.toLocaleString('en-US')}+` +
      `${genomeLength.toLocaleString('en-US')} bp, ${depth}x of wgsim 150 bp pairs at ${errorRate * 100} % errors ` +
      `(${mixture.pairs.toLocaleString('en-US')} pairs); minor haplotypes at ${AF_BANDS.map((band) => `${band * 100} %`).join(', ')}; ` +
      `${mixture.truth.length} planted variants (${snvs} SNVs, ${mixture.truth.length - snvs} indels)`,
  );
  const truthPath = join(root, 'truth.norm.vcf');
  await normaliseVcf(mixture.truthVcfPath, mixture.referencePath, truthPath);
  const truth = await readAlleleCalls(truthPath, { genotyped: false });
  const input = { referencePath: mixture.referencePath, circular: [], reads: mixture.reads };

  const helixFlags = ['--mode', 'population', '--min-af', String(minAlleleFrequency)];
  const helix = helixAnalyze('helix', helixFlags);
  const helixDirectory = join(root, 'helix');
  await mkdir(helixDirectory);
  console.log(`# helix analyze ${helixFlags.join(' ')} --threads ${CORES}`);
  try {
    const { vcfPath, seconds } = await helix.run({ ...input, workDirectory: helixDirectory });
    outcomes.push({ caller: 'helix', seconds, score: await scored(mixture, truth, vcfPath, false) });
  } catch (error) {
    outcomes.push({ caller: 'helix', error: reasonOf(error) });
  }

  const alignment = await alignOnce(mixture.referencePath, mixture.reads, root);
  console.log(
    `# peers: minimap2 -ax sr -t ${CORES} | samtools sort, once: ${alignment.seconds.toFixed(1)} s, added to each`,
  );
  for (const peer of POPULATION_PEERS) {
    const directory = join(root, peer.name.replaceAll(' ', '-'));
    await mkdir(directory);
    console.log(`# ${peer.name}: ${peer.settings(minAlleleFrequency)}, one process per region on ${CORES} cores`);
    try {
      const called = await peer.call({
        reference,
        referencePath: mixture.referencePath,
        bamPath: alignment.bamPath,
        directory,
        minAlleleFrequency,
      });
      const score = await scored(mixture, truth, called.vcfPath, peer.genotyped);
      outcomes.push({ caller: peer.name, seconds: alignment.seconds + called.seconds, score });
    } catch (error) {
      outcomes.push({ caller: peer.name, error: reasonOf(error) });
    }
  }
} finally {
  if (values.keep) console.log(`# files kept in ${root}`);
  else await rm(root, { recursive: true, force: true });
}

console.log(`\n${formatTable(outcomes)}\n\n${formatSpeed(outcomes)}\n`);
const acceptance = judgeAcceptance(outcomes);
const judged = depth === ACCEPTANCE.depth && errorRate === ACCEPTANCE.errorRate;
console.log(
  judged ? acceptance.line : `${acceptance.line} (not judged: the issue's settings are 1,000x with 0.2 % errors)`,
);
if (outcomes.some((outcome) => 'error' in outcome) || (judged && !acceptance.met)) process.exitCode = 1;
