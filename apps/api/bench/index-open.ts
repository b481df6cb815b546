/**
 * Child of `bench/index-scale.ts`: loads the FASTA given as argument, builds (or maps) its aligner
 * index beside it and prints the build seconds, the index's memory and whether it was mapped as
 * one JSON line, so the parent can measure this process's peak memory on its own.
 */
import { AlignerIndex, Reference } from '@helix/native';

const fasta = process.argv[2];
if (!fasta) throw new Error('usage: index-open.ts ref.fa');
const reference = await Reference.loadFasta(fasta);
const started = performance.now();
const index = await AlignerIndex.build(reference, { referencePath: fasta });
const seconds = (performance.now() - started) / 1_000;
console.log(JSON.stringify({ seconds, memoryBytes: index.memoryBytes, mapped: index.mapped }));
