'use client';

import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { axisTicks, linePath, type Point, ticks } from '@/lib/chart';

/** One line of a chart. */
export interface ChartSeries {
  id: string;
  label: string;
  points: readonly Point[];
  /** CSS class that sets the stroke colour (see app/styles/charts.css). */
  tone: 'queue' | 'high' | 'low' | 'ingest' | 'process' | 'throttle';
  dashed?: boolean;
}

interface TimeSeriesChartProps {
  /** What the chart shows, read by screen readers with the current values. */
  label: string;
  series: ChartSeries[];
  yMax: number;
  yFormat: (value: number) => string;
  /** Live: the newest `windowMs` up to the newest sample, scrolling smoothly with time. */
  live?: { windowMs: number };
  /** Static: the time range shown. */
  domain?: readonly [number, number];
  height?: number;
}

/** "now", "−30 s", "−2 min": how far back a point of a live chart lies. */
function relativeLabel(offsetMs: number): string {
  if (offsetMs === 0) return 'now';
  return offsetMs % 60_000 === 0 ? `−${offsetMs / 60_000} min` : `−${Math.round(offsetMs / 1000)} s`;
}

/** Keeps the labels at the ends of an axis inside the chart. */
function edgeAnchor(x: number, width: number, index: number, count: number): 'start' | 'middle' | 'end' {
  if (index === 0 && x < 30) return 'start';
  if (index === count - 1 && x > width - 30) return 'end';
  if (x < 30) return 'start';
  if (x > width - 30) return 'end';
  return 'middle';
}

const MARGIN = { top: 10, right: 12, bottom: 26, left: 60 };

/** Adds an animation frame loop that calls `frame` until unmounted (none if motion is reduced). */
function useAnimationFrames(frame: () => void, enabled: boolean) {
  const latest = useRef(frame);
  latest.current = frame;
  useEffect(() => {
    if (!enabled || window.matchMedia('(prefers-reduced-motion: reduce)').matches) return;
    let handle = requestAnimationFrame(function loop() {
      latest.current();
      handle = requestAnimationFrame(loop);
    });
    return () => cancelAnimationFrame(handle);
  }, [enabled]);
}

/**
 * A dependency-free SVG line chart. In live mode the lines are drawn once per sample relative to
 * the newest one, and a transform slides them left on every animation frame, so the chart moves
 * smoothly between the 4 Hz samples without redrawing the paths.
 */
export function TimeSeriesChart({ label, series, yMax, yFormat, live, domain, height = 220 }: TimeSeriesChartProps) {
  const clipId = useId();
  const container = useRef<HTMLDivElement>(null);
  const slider = useRef<SVGGElement>(null);
  const [width, setWidth] = useState(640);
  useLayoutEffect(() => {
    const element = container.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(240, Math.floor(entry.contentRect.width)));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  let newest = Number.NEGATIVE_INFINITY;
  let oldest = Number.POSITIVE_INFINITY;
  for (const line of series) {
    const first = line.points[0];
    const last = line.points.at(-1);
    if (first && first.t < oldest) oldest = first.t;
    if (last && last.t > newest) newest = last.t;
  }
  const hasData = Number.isFinite(newest);
  const [start, end]: readonly [number, number] = !hasData
    ? [0, live?.windowMs ?? 1]
    : live
      ? [newest - live.windowMs, newest]
      : (domain ?? [oldest, newest]);
  const span = Math.max(1, end - start);
  const pxPerMs = plotWidth / span;

  // The newest sample's arrival on this page's clock: the slide is measured from it.
  const arrival = useRef({ t: newest, at: 0 });
  if (arrival.current.t !== newest)
    arrival.current = { t: newest, at: typeof performance === 'undefined' ? 0 : performance.now() };
  useAnimationFrames(
    () => {
      if (!slider.current || !live) return;
      const elapsed = Math.min(live.windowMs, Math.max(0, performance.now() - arrival.current.at));
      slider.current.setAttribute('transform', `translate(${(-elapsed * pxPerMs).toFixed(2)},0)`);
    },
    Boolean(live && hasData),
  );

  const yTicks = axisTicks(yMax);
  const xTicks = live
    ? ticks(live.windowMs, 3).map((offset) => ({
        x: plotWidth - offset * pxPerMs,
        text: relativeLabel(offset),
      }))
    : ticks(span, 4).map((offset) => ({
        x: offset * pxPerMs,
        text: new Date(start + offset).toLocaleTimeString('en-GB', { hour12: false }),
      }));

  return (
    <div ref={container} className="chart">
      <svg width={width} height={height} role="img" aria-label={label} className="chart-svg">
        <defs>
          <clipPath id={clipId}>
            <rect x={0} y={-2} width={plotWidth} height={plotHeight + 4} />
          </clipPath>
        </defs>
        <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
          {yTicks.map((value) => {
            const y = plotHeight - (value / yMax) * plotHeight;
            return (
              <g key={value} className="chart-grid">
                <line x1={0} x2={plotWidth} y1={y} y2={y} />
                <text x={-8} y={y} dy="0.32em" textAnchor="end">
                  {yFormat(value)}
                </text>
              </g>
            );
          })}
          {xTicks.map(({ x, text }, index) => (
            <text
              key={text}
              className="chart-axis"
              x={x}
              y={plotHeight + 18}
              textAnchor={edgeAnchor(x, plotWidth, index, xTicks.length)}
            >
              {text}
            </text>
          ))}
          <g clipPath={`url(#${clipId})`}>
            <g ref={slider}>
              {series.map((line) => (
                <path
                  key={line.id}
                  className={`chart-line tone-${line.tone}${line.dashed ? ' chart-line-dashed' : ''}`}
                  d={linePath(line.points, {
                    t0: live ? newest : start,
                    pxPerMs,
                    yMax,
                    height: plotHeight,
                    tMin: start - span * 0.05,
                    tMax: end + span * 0.05,
                  })}
                  transform={live ? `translate(${plotWidth},0)` : undefined}
                />
              ))}
            </g>
          </g>
          {!hasData ? (
            <text className="chart-empty" x={plotWidth / 2} y={plotHeight / 2} textAnchor="middle">
              Waiting for data…
            </text>
          ) : null}
        </g>
      </svg>
      <ul className="chart-legend">
        {series.map((line) => (
          <li key={line.id}>
            <svg width="22" height="10" aria-hidden="true">
              <line
                x1="1"
                x2="21"
                y1="5"
                y2="5"
                className={`chart-line tone-${line.tone}${line.dashed ? ' chart-line-dashed' : ''}`}
              />
            </svg>
            {line.label}
          </li>
        ))}
      </ul>
    </div>
  );
}
