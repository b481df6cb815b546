import { formatCount, formatPercent, formatQuality } from '@/lib/format';
import type { Lollipop } from '@/lib/genome/lollipops';
import { LAYOUT } from './track-layout';

/** The details of the hovered or focused call, beside its lollipop. */
export function VariantTooltip({ id, lollipop, width }: { id: string; lollipop: Lollipop; width: number }) {
  const { variant, x, headY } = lollipop;
  const left = LAYOUT.marginLeft + x;
  const flip = x > width * 0.6;
  return (
    <div
      id={id}
      role="tooltip"
      className="track-tooltip"
      data-testid="track-tooltip"
      style={{
        top: headY + 8,
        ...(flip ? { right: LAYOUT.marginLeft + width - left + 12 } : { left: left + 12 }),
      }}
    >
      <p className="track-tooltip-title">
        <span className="mono">{formatCount(variant.position)}</span>{' '}
        <span className="mono">
          {variant.ref} → {variant.alt}
        </span>
      </p>
      <dl>
        <div>
          <dt>Allele frequency</dt>
          <dd>{formatPercent(variant.alleleFrequency)}</dd>
        </div>
        <div>
          <dt>Depth</dt>
          <dd>{formatCount(variant.depth)}</dd>
        </div>
        <div>
          <dt>Quality</dt>
          <dd>{formatQuality(variant.quality)}</dd>
        </div>
        {variant.effect ? (
          <div>
            <dt>Effect</dt>
            <dd>{variant.effect}</dd>
          </div>
        ) : null}
        {variant.concern ? (
          <div>
            <dt>Of concern</dt>
            <dd>{variant.concern}</dd>
          </div>
        ) : null}
      </dl>
      <p className="muted">Enter or click: zoom to its bases</p>
    </div>
  );
}
