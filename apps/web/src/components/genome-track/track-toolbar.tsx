import { useId } from 'react';
import type { TrackAction } from '@/lib/genome/view';

/** A contig as the picker lists it. */
export interface ContigChoice {
  name: string;
  length: number;
}

const BUTTONS: { action: TrackAction; label: string; text: string }[] = [
  { action: 'zoom-in', label: 'Zoom in', text: '+' },
  { action: 'zoom-out', label: 'Zoom out', text: '−' },
  { action: 'pan-left', label: 'Pan left', text: '←' },
  { action: 'pan-right', label: 'Pan right', text: '→' },
  { action: 'reset', label: 'Whole contig', text: 'Whole contig' },
];

/** The track's sample and contig pickers (shown when there is a choice) and its zoom and pan buttons. */
export function TrackToolbar({
  samples,
  sample,
  onSample,
  contigs,
  contig,
  onContig,
  onAction,
}: {
  samples: readonly string[];
  sample: string;
  onSample(name: string): void;
  contigs: readonly ContigChoice[];
  contig: string;
  onContig(name: string): void;
  onAction(action: TrackAction): void;
}) {
  const sampleId = useId();
  const contigId = useId();
  return (
    <div className="track-toolbar">
      {samples.length > 1 ? (
        <div className="field field-inline">
          <label htmlFor={sampleId}>Track sample</label>
          <select id={sampleId} value={sample} onChange={(event) => onSample(event.target.value)}>
            {samples.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {contigs.length > 1 ? (
        <div className="field field-inline">
          <label htmlFor={contigId}>Track contig</label>
          <select id={contigId} value={contig} onChange={(event) => onContig(event.target.value)}>
            {contigs.map(({ name, length }) => (
              <option key={name} value={name}>
                {`${name} (${length.toLocaleString('en-US')} bp)`}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <fieldset className="track-buttons" aria-label="Zoom and pan">
        {BUTTONS.map(({ action, label, text }) => (
          <button
            key={action}
            type="button"
            className="button button-small"
            aria-label={label}
            title={label}
            onClick={() => onAction(action)}
          >
            {text}
          </button>
        ))}
      </fieldset>
    </div>
  );
}
