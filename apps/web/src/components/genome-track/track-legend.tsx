import { LOLLIPOP_COLOUR_WORDS, type LollipopColour } from '@/lib/genome/lollipops';

/** What the track's colours and marks mean. */
export function TrackLegend({ annotated }: { annotated: boolean }) {
  const colours = (Object.keys(LOLLIPOP_COLOUR_WORDS) as LollipopColour[]).filter((colour) =>
    annotated ? colour !== 'unannotated' : colour === 'unannotated',
  );
  return (
    <ul className="chart-legend track-legend">
      <li>
        <span className="legend-swatch legend-coverage" aria-hidden="true" /> mean depth
      </li>
      <li>
        <span className="legend-swatch legend-low-coverage" aria-hidden="true" /> below min depth
      </li>
      {colours.map((colour) => (
        <li key={colour}>
          <span className={`legend-dot lollipop-${colour}`} aria-hidden="true" /> {LOLLIPOP_COLOUR_WORDS[colour]}
        </li>
      ))}
      <li>
        <span className="legend-dot legend-concern" aria-hidden="true" /> mutation of concern
      </li>
      <li className="muted">head size: allele frequency</li>
    </ul>
  );
}
