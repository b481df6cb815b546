import { memo } from 'react';
import { formatPercent } from '@/lib/format';
import type { Lollipop, TrackVariant } from '@/lib/genome/lollipops';
import { LAYOUT } from './track-layout';

/** A call in words, as a screen reader names its lollipop. */
export function variantWords(variant: TrackVariant): string {
  const parts = [
    `${variant.ref} to ${variant.alt} at ${variant.position.toLocaleString('en-US')}`,
    `allele frequency ${formatPercent(variant.alleleFrequency)}`,
    `depth ${variant.depth.toLocaleString('en-US')}`,
  ];
  if (variant.effect) parts.push(variant.effect);
  if (variant.concern) parts.push(`mutation of concern ${variant.concern}`);
  return parts.join(', ');
}

/**
 * Calls as lollipops: a stem from the coverage's top to a head sized by allele frequency and
 * coloured by consequence; a mutation of concern wears a ring and a flag. Each head takes focus,
 * shows its details while hovered or focused, and zooms to its bases on Enter or a click.
 */
export const VariantLayer = memo(function VariantLayer({
  lollipops,
  activeId,
  tooltipId,
  onActive,
  onZoomTo,
}: {
  lollipops: readonly Lollipop[];
  activeId: string | null;
  tooltipId: string;
  onActive(id: string | null): void;
  onZoomTo(position: number): void;
}) {
  return (
    <g className="track-variants" data-testid="track-variants">
      {lollipops.map(({ variant, x, headY, radius, colour }) => (
        // biome-ignore lint/a11y/useSemanticElements: an SVG shape cannot be a <button>; it takes focus and keys itself
        <g
          key={variant.id}
          role="button"
          tabIndex={0}
          aria-label={variantWords(variant)}
          aria-describedby={activeId === variant.id ? tooltipId : undefined}
          className={`lollipop lollipop-${colour}${variant.concern ? ' lollipop-concern' : ''}${
            activeId === variant.id ? ' lollipop-active' : ''
          }`}
          data-position={variant.position}
          onMouseEnter={() => onActive(variant.id)}
          onMouseLeave={() => onActive(null)}
          onFocus={() => onActive(variant.id)}
          onBlur={() => onActive(null)}
          onPointerDown={(event) => event.stopPropagation()}
          onClick={() => onZoomTo(variant.position)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' || event.key === ' ') {
              event.preventDefault();
              event.stopPropagation();
              onZoomTo(variant.position);
            }
          }}
        >
          <line className="lollipop-stem" x1={x} x2={x} y1={LAYOUT.lollipopBaseline} y2={headY + radius} />
          {variant.concern ? <circle className="lollipop-ring" cx={x} cy={headY} r={radius + 3} /> : null}
          <circle className="lollipop-head" cx={x} cy={headY} r={radius} />
          {variant.concern ? <path className="lollipop-flag" d={`M${x},${headY - radius - 4}l-4,-7h8z`} /> : null}
        </g>
      ))}
    </g>
  );
});
