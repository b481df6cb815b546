import { useId } from 'react';
import type { TrackAction } from '@/lib/genome/view';
import { SelectField } from '../select-field';

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
        <SelectField
          id={sampleId}
          label="Track sample"
          inline
          value={sample}
          options={samples.map((name) => ({ value: name, label: name }))}
          onChange={onSample}
        />
      ) : null}
      {contigs.length > 1 ? (
        <SelectField
          id={contigId}
          label="Track contig"
          inline
          value={contig}
          options={contigs.map(({ name, length }) => ({
            value: name,
            label: `${name} (${length.toLocaleString('en-US')} bp)`,
          }))}
          onChange={onContig}
        />
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
