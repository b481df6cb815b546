import { memo } from 'react';
import { featureName, type GeneArrow } from '@/lib/genome/genes';
import { LAYOUT } from './track-layout';

/** Genes as arrows pointing along their strand, labelled where they are wide enough. */
export const GeneLayer = memo(function GeneLayer({ arrows, top }: { arrows: readonly GeneArrow[]; top: number }) {
  return (
    <g className="track-genes" transform={`translate(0 ${top})`} data-testid="track-genes">
      {arrows
        .filter((arrow) => arrow.row < LAYOUT.geneRows)
        .map((arrow) => {
          const { feature } = arrow;
          const name = featureName(feature);
          const strand = feature.strand === 'FORWARD' ? 'forward' : 'reverse';
          return (
            <g key={`${feature.kind}:${feature.from}:${feature.to}:${name}`} className={`gene gene-${strand}`}>
              <title>
                {`${name}${feature.product ? ` — ${feature.product}` : ''} (${feature.kind}, ${strand} strand, ` +
                  `${feature.from.toLocaleString('en-US')}–${feature.to.toLocaleString('en-US')})`}
              </title>
              <polygon points={arrow.points} />
              {arrow.labelFits ? (
                <text
                  x={arrow.labelX}
                  y={arrow.row * LAYOUT.geneRowHeight + LAYOUT.geneArrowHeight - 2}
                  textAnchor="middle"
                >
                  {name}
                </text>
              ) : null}
            </g>
          );
        })}
    </g>
  );
});
