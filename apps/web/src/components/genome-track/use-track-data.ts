'use client';

import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from 'urql';
import { effectsLabel } from '@/lib/effects';
import { basesRequest } from '@/lib/genome/bases';
import { type CoverageBins, coverageRequest } from '@/lib/genome/coverage';
import type { TrackFeature } from '@/lib/genome/genes';
import type { TrackVariant } from '@/lib/genome/lollipops';
import type { GenomeWindow } from '@/lib/genome/view';
import {
  CoverageQuery,
  GenomeFeaturesQuery,
  ReferenceBasesQuery,
  type TrackVariantNode,
  TrackVariantsQuery,
} from '@/lib/graphql/genome-operations';

/** The fewest milliseconds between two live refreshes, however fast the run ticks. */
const REFRESH_MS = 1000;

/** Where the track is looking. */
export interface TrackTarget {
  runId: string;
  sample: string;
  contig: string;
  length: number;
  view: GenomeWindow;
  widthPx: number;
}

/** What the track draws, each kept until a fresher answer replaces it, so nothing blinks while panning. */
export interface TrackData {
  coverage: CoverageBins | undefined;
  variants: readonly TrackVariant[];
  /** Confirmed calls in the fetched stretch, of which `variants` holds the 100 most frequent. */
  variantsInStretch: number;
  features: readonly TrackFeature[];
  bases: { from: number; sequence: string } | undefined;
  error: string | undefined;
}

const RANK = { HIGH: 0, MODERATE: 1, LOW: 2, MODIFIER: 3 } as const;

/** A call as the track draws it: its most severe effect, and its mutation of concern. */
function trackVariant(node: TrackVariantNode): TrackVariant {
  const worst = [...node.effects].sort((a, b) => RANK[a.impact] - RANK[b.impact])[0];
  const concern = node.mutationOfConcern;
  return {
    id: node.id,
    position: node.position,
    ref: node.ref,
    alt: node.alt,
    alleleFrequency: node.alleleFrequency,
    depth: node.depth,
    quality: node.quality,
    consequence: worst?.consequence ?? null,
    effect: effectsLabel(node.effects) ?? null,
    concern: concern ? `${concern.gene} ${concern.aminoAcidChange}${concern.label ? ` (${concern.label})` : ''}` : null,
  };
}

/** Holds the last defined value, so a layer keeps drawing while its next answer is on the way. */
function useLastDefined<T>(value: T | undefined, reset: string): T | undefined {
  const kept = useRef<{ value: T | undefined; reset: string }>({ value: undefined, reset });
  if (kept.current.reset !== reset) kept.current = { value: undefined, reset };
  if (value !== undefined) kept.current.value = value;
  return kept.current.value;
}

/**
 * `tick` (the run's progress, which may move at 4 Hz), passed on at most once every
 * {@link REFRESH_MS}: the last value always arrives, late rather than never.
 */
export function useThrottledTick(tick: number | undefined): number | undefined {
  const [beat, setBeat] = useState(tick);
  const last = useRef(0);
  useEffect(() => {
    if (tick === undefined) return;
    const timer = setTimeout(
      () => {
        last.current = Date.now();
        setBeat(tick);
      },
      Math.max(0, last.current + REFRESH_MS - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [tick]);
  return beat;
}

/**
 * The coverage, calls, genes and bases of the track's window. When `beat` (the throttled run
 * progress) moves, coverage and calls are asked for again; genes and bases never change within a
 * run and come from urql's cache.
 */
export function useTrackData(target: TrackTarget, beat: number | undefined): TrackData {
  const { runId, sample, contig, length, view, widthPx } = target;
  const stretch = useMemo(() => coverageRequest(view, length, widthPx), [view, length, widthPx]);
  const basesWindow = useMemo(() => basesRequest(view, length), [view, length]);
  const ready = sample !== '' && contig !== '';
  const [coverage, refetchCoverage] = useQuery({
    query: CoverageQuery,
    variables: { run: runId, sample, contig, from: stretch.from, to: stretch.to, bins: stretch.bins },
    pause: !ready,
  });
  const [variants, refetchVariants] = useQuery({
    query: TrackVariantsQuery,
    variables: { run: runId, sample, contig, from: stretch.from, to: stretch.to },
    pause: !ready,
  });
  const [features] = useQuery({
    query: GenomeFeaturesQuery,
    variables: { run: runId, contig, from: stretch.from, to: stretch.to },
    pause: contig === '',
  });
  const [bases] = useQuery({
    query: ReferenceBasesQuery,
    variables: { run: runId, contig, from: basesWindow?.from ?? 1, to: basesWindow?.to ?? 1 },
    pause: contig === '' || !basesWindow,
  });

  useEffect(() => {
    if (beat === undefined || !ready) return;
    refetchCoverage({ requestPolicy: 'network-only' });
    refetchVariants({ requestPolicy: 'network-only' });
  }, [beat, ready, refetchCoverage, refetchVariants]);

  const place = `${runId}:${sample}:${contig}`;
  const coverageBins = useLastDefined(coverage.data?.coverage ?? undefined, place);
  const variantNodes = useLastDefined(variants.data?.variants, place);
  const featureList = useLastDefined(features.data?.genomeFeatures, `${runId}:${contig}`);
  const sequence = bases.data?.referenceBases;
  const sequenceFrom = bases.operation?.variables.from;
  const trackVariants = useMemo(
    () => (variantNodes?.edges ?? []).map(({ node }) => trackVariant(node)),
    [variantNodes],
  );
  const error = coverage.error ?? variants.error ?? features.error;
  return {
    coverage: coverageBins,
    variants: trackVariants,
    variantsInStretch: variantNodes?.totalCount ?? 0,
    features: featureList ?? [],
    bases: sequence && basesWindow && sequenceFrom !== undefined ? { from: sequenceFrom, sequence } : undefined,
    error: error?.graphQLErrors[0]?.message ?? error?.message,
  };
}
