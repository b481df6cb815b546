import { describe, expect, it } from 'vitest';
import { arrowPoints, layoutGenes, packRows, type TrackFeature } from '@/lib/genome/genes';
import { genomeScale } from '@/lib/genome/scale';

const gene = (name: string, from: number, to: number, strand: TrackFeature['strand'] = 'FORWARD'): TrackFeature => ({
  gene: name,
  kind: 'CDS',
  strand,
  from,
  to,
});

describe('gene arrows', () => {
  it('should stack overlapping genes on rows and reuse a row once it is free', () => {
    expect(packRows([gene('a', 1, 100), gene('b', 50, 150), gene('c', 120, 200), gene('d', 160, 170)])).toEqual([
      0, 1, 0, 1,
    ]);
  });

  it('should point forward genes right and reverse genes left', () => {
    expect(arrowPoints(0, 100, 0, 10, true)).toBe('0.0,0.0 92.0,0.0 100.0,5.0 92.0,10.0 0.0,10.0');
    expect(arrowPoints(0, 100, 0, 10, false)).toBe('8.0,0.0 100.0,0.0 100.0,10.0 8.0,10.0 0.0,5.0');
    expect(arrowPoints(0, 6, 0, 10, true)).toBe('0.0,0.0 3.0,0.0 6.0,5.0 3.0,10.0 0.0,10.0');
  });

  it('should cut genes at the window and drop the head of a cut end', () => {
    const scale = genomeScale({ from: 101, to: 200 }, 100);
    const arrows = layoutGenes(
      [gene('helA', 150, 400), gene('far', 500, 600), gene('revB', 1, 120, 'REVERSE')],
      scale,
      {
        rowHeight: 16,
        arrowHeight: 12,
      },
    );
    expect(arrows.map((arrow) => arrow.feature.gene)).toEqual(['helA', 'revB']);
    expect(arrows[0]?.points).toBe('49.0,0.0 100.0,0.0 100.0,6.0 100.0,12.0 49.0,12.0');
    expect(arrows[1]?.points).toBe('0.0,0.0 20.0,0.0 20.0,12.0 0.0,12.0 0.0,6.0');
  });
});
