'use client';

import { type KeyboardEvent, type PointerEvent, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useQuery } from 'urql';
import { yDomainMax } from '@/lib/chart';
import { baseCells, showsBases } from '@/lib/genome/bases';
import { deepestIn } from '@/lib/genome/coverage';
import { layoutGenes } from '@/lib/genome/genes';
import { layoutLollipops } from '@/lib/genome/lollipops';
import { genomeScale } from '@/lib/genome/scale';
import {
  actionForKey,
  applyAction,
  centreOn,
  clampWindow,
  fullWindow,
  type GenomeWindow,
  panWindow,
  spanOf,
  type TrackAction,
  zoomWindow,
} from '@/lib/genome/view';
import { GenomeRunQuery } from '@/lib/graphql/genome-operations';
import { AxisLayer } from './axis-layer';
import { BasesLayer } from './bases-layer';
import { CoverageLayer } from './coverage-layer';
import { GeneLayer } from './gene-layer';
import { SampleCoverageSummary } from './sample-coverage-summary';
import { TrackDownloads } from './track-downloads';
import { LAYOUT, laneTops } from './track-layout';
import { TrackLegend } from './track-legend';
import { TrackToolbar } from './track-toolbar';
import { useThrottledTick, useTrackData } from './use-track-data';
import { VariantLayer } from './variant-layer';
import { VariantTooltip } from './variant-tooltip';

/** Bases shown around a call zoomed to: its neighbours on both sides, each base a readable cell. */
const VARIANT_ZOOM_SPAN = 61;

/** How much one wheel notch zooms. */
const WHEEL_ZOOM = 1.25;

/** The plot's width, followed as its container resizes (a callback ref: the container appears once the run is known). */
function usePlotWidth() {
  const [width, setWidth] = useState(800);
  const observer = useRef<ResizeObserver | null>(null);
  const container = useCallback((element: HTMLDivElement | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!element) return;
    const measure = (contentWidth: number) =>
      setWidth(Math.max(240, Math.floor(contentWidth) - LAYOUT.marginLeft - LAYOUT.marginRight));
    measure(element.getBoundingClientRect().width);
    observer.current = new ResizeObserver(([entry]) => {
      if (entry) measure(entry.contentRect.width);
    });
    observer.current.observe(element);
  }, []);
  return { container, width };
}

/**
 * The genome track of one run: coverage along a contig, the calls as lollipops and the genes as
 * arrows, zoomed and panned by wheel, drag, buttons or keys (+ − ← → Home, Escape hides details),
 * down to single bases with the reference and each call's alternate. `tick` is the run's progress
 * (reads analysed): when it moves, coverage and calls are fetched again and only their layers redraw.
 */
export function GenomeTrack({ runId, tick, title = 'Genome track' }: { runId: string; tick?: number; title?: string }) {
  const beat = useThrottledTick(tick);
  const [runResult, refetchRun] = useQuery({ query: GenomeRunQuery, variables: { id: runId } });
  const run = runResult.data?.run;
  useEffect(() => {
    if (beat !== undefined) refetchRun({ requestPolicy: 'network-only' });
  }, [beat, refetchRun]);

  const contigs = run?.contigs ?? [];
  const samples = run?.samples ?? [];
  const [chosenContig, setChosenContig] = useState('');
  const [chosenSample, setChosenSample] = useState('');
  const contig = contigs.find(({ name }) => name === chosenContig) ?? contigs[0];
  const sampleName = samples.some(({ name }) => name === chosenSample) ? chosenSample : (samples[0]?.name ?? '');
  const length = contig?.length ?? 1;
  const [view, setView] = useState<GenomeWindow | undefined>(undefined);
  const shown = view && view.to <= length ? view : fullWindow(length);

  const { container, width } = usePlotWidth();
  const scale = useMemo(() => genomeScale(shown, width), [shown, width]);
  const data = useTrackData(
    { runId, sample: sampleName, contig: contig?.name ?? '', length, view: shown, widthPx: width },
    beat,
  );

  const bases = showsBases(shown);
  const lanes = laneTops(bases);
  const yMax = useMemo(
    () => yDomainMax(data.coverage ? [deepestIn(data.coverage, shown)] : [], 10),
    [data.coverage, shown],
  );
  const lollipops = useMemo(
    () =>
      layoutLollipops(data.variants, scale, {
        baseline: LAYOUT.lollipopBaseline,
        levelHeight: LAYOUT.lollipopLevelHeight,
        levels: LAYOUT.lollipopLevels,
      }),
    [data.variants, scale],
  );
  const arrows = useMemo(
    () => layoutGenes(data.features, scale, { rowHeight: LAYOUT.geneRowHeight, arrowHeight: LAYOUT.geneArrowHeight }),
    [data.features, scale],
  );
  const cells = useMemo(
    () => (bases && data.bases ? baseCells(data.bases.sequence, data.bases.from, scale) : []),
    [bases, data.bases, scale],
  );
  const sample = samples.find(({ name }) => name === sampleName);
  const lowRegions = useMemo(
    () => (sample?.lowCoverageRegions ?? []).filter((region) => region.contig === contig?.name),
    [sample, contig?.name],
  );

  const [activeId, setActiveId] = useState<string | null>(null);
  const active = lollipops.find((lollipop) => lollipop.variant.id === activeId);
  const tooltipId = useId();

  const act = useCallback(
    (action: TrackAction) => setView((current) => applyAction(current ?? fullWindow(length), length, action)),
    [length],
  );
  const zoomTo = useCallback((position: number) => setView(centreOn(position, VARIANT_ZOOM_SPAN, length)), [length]);
  const zoomToRegion = useCallback(
    (from: number, to: number) => setView(clampWindow(from - 10, to - from + 21, length)),
    [length],
  );
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      setActiveId(null);
      return;
    }
    const action = actionForKey(event.key);
    if (!action || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    act(action);
  };

  // Wheel zoom about the pointer; a native listener, as React's wheel handlers cannot stop the page scrolling.
  const plot = useRef<HTMLDivElement>(null);
  const latest = useRef({ scale, length });
  latest.current = { scale, length };
  const drawn = run !== undefined;
  useEffect(() => {
    if (!drawn) return;
    const element = plot.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      if (event.deltaY === 0) return;
      event.preventDefault();
      const { scale: current, length: contigLength } = latest.current;
      const x = event.clientX - element.getBoundingClientRect().left - LAYOUT.marginLeft;
      const anchor = current.window.from + x / current.basePx;
      const factor = event.deltaY < 0 ? WHEEL_ZOOM : 1 / WHEEL_ZOOM;
      setView(zoomWindow(current.window, contigLength, factor, anchor));
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, [drawn]);

  // Drag to pan: the window moves with the pointer, from where the drag began.
  const drag = useRef<{ x: number; window: GenomeWindow } | null>(null);
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    drag.current = { x: event.clientX, window: shown };
    event.currentTarget.setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const start = drag.current;
    if (!start) return;
    const bases = -(event.clientX - start.x) / scale.basePx;
    if (Math.abs(bases) >= 1) setView(panWindow(start.window, length, bases));
  };
  const endDrag = () => {
    drag.current = null;
  };

  if (!run) return null;
  const where = contig
    ? `${contig.name}:${shown.from.toLocaleString('en-US')}–${shown.to.toLocaleString('en-US')} (${spanOf(shown).toLocaleString('en-US')} bp)`
    : 'no contig';
  const label =
    `${title} of ${sampleName || 'no sample'}, ${where}; ${lollipops.length} calls in view. ` +
    'Plus and minus zoom, left and right arrows pan, Home shows the whole contig, Tab reaches each call.';
  const annotated = data.features.length > 0 || data.variants.some((variant) => variant.consequence);
  return (
    <section className="panel genome-track" aria-labelledby={`${tooltipId}-title`} data-testid="genome-track">
      <div className="panel-head">
        <h2 id={`${tooltipId}-title`}>{title}</h2>
        {sampleName ? <TrackDownloads runId={runId} sample={sampleName} /> : null}
      </div>
      <TrackToolbar
        samples={samples.map(({ name }) => name)}
        sample={sampleName}
        onSample={setChosenSample}
        contigs={contigs}
        contig={contig?.name ?? ''}
        onContig={(name) => {
          setChosenContig(name);
          setView(undefined);
        }}
        onAction={act}
      />
      <p className="track-where mono" data-testid="track-window" aria-live="polite">
        {where}
        {data.variantsInStretch > data.variants.length
          ? ` · the ${data.variants.length} most frequent of ${data.variantsInStretch} calls nearby; zoom in for the rest`
          : ''}
      </p>
      <div ref={container} className="track-plot-wrap">
        <div
          ref={plot}
          role="application"
          aria-label={label}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: role="application" takes the keys itself, so it must take focus
          tabIndex={0}
          className="track-plot"
          data-testid="track-plot"
          data-from={shown.from}
          data-to={shown.to}
          onKeyDown={onKeyDown}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={endDrag}
          onPointerCancel={endDrag}
        >
          <svg width={width + LAYOUT.marginLeft + LAYOUT.marginRight} height={lanes.height} className="track-svg">
            <title>{`Coverage, calls and genes along ${where}`}</title>
            <g transform={`translate(${LAYOUT.marginLeft} 0)`}>
              <AxisLayer scale={scale} yMax={yMax} height={lanes.height} />
              <CoverageLayer bins={data.coverage} scale={scale} yMax={yMax} lowRegions={lowRegions} />
              {bases ? <BasesLayer cells={cells} calls={lollipops} basePx={scale.basePx} top={lanes.bases} /> : null}
              <GeneLayer arrows={arrows} top={lanes.genes} />
              <VariantLayer
                lollipops={lollipops}
                activeId={activeId}
                tooltipId={tooltipId}
                onActive={setActiveId}
                onZoomTo={zoomTo}
              />
            </g>
          </svg>
          {active ? <VariantTooltip id={tooltipId} lollipop={active} width={width} /> : null}
        </div>
      </div>
      {data.error ? (
        <p className="notice notice-error" role="status">
          {data.error}
        </p>
      ) : null}
      <TrackLegend annotated={annotated} />
      <SampleCoverageSummary sample={sample} contig={contig?.name ?? ''} onZoom={zoomToRegion} />
    </section>
  );
}
