import type { PreparedDataSet } from './datasets.js';
import type { CallerResult } from './evaluate.js';
import { EVENT_CLASSES } from './score.js';

const figure = (value: number) => value.toFixed(4);

/** A data set's comparison as text: per caller, events found, per-class recall/precision, speed, ratio. */
export function formatResults(dataSet: PreparedDataSet, results: readonly CallerResult[]): string {
  const lines = [
    `# ${dataSet.name}: ${dataSet.description}; ${dataSet.readCount.toLocaleString('en-US')} reads, ` +
      `${dataSet.expected.filter((event) => event.published).length} published events`,
  ];
  const helix = results[0];
  for (const result of results) {
    const { score } = result;
    const speed = `${result.seconds.toFixed(2)} s, ${Math.round(result.readsPerSecond).toLocaleString('en-US')} reads/s`;
    const ratio = helix && result !== helix ? `, helix ${(result.seconds / helix.seconds).toFixed(2)}x as fast` : '';
    lines.push(
      `${result.caller.padEnd(30)} found ${score.found}/${score.expected}, ${score.falseCalls} calls outside the list; ` +
        `R ${figure(score.recall)} P ${figure(score.precision)}; ${speed}${ratio}`,
    );
    for (const eventClass of EVENT_CLASSES) {
      const entry = score.classes[eventClass];
      if (entry.expected === 0 && entry.called === 0) continue;
      lines.push(
        `  ${eventClass.padEnd(10)} found ${entry.found}/${entry.expected}  R ${figure(entry.recall)}  ` +
          `P ${figure(entry.precision)} (${entry.called} calls, ${entry.falseCalls} false)`,
      );
    }
    if (score.missed.length > 0) {
      const shown = score.missed.slice(0, 8).join('; ');
      lines.push(`  missed    ${shown}${score.missed.length > 8 ? `; and ${score.missed.length - 8} more` : ''}`);
    }
    for (const evidence of score.evidence) {
      lines.push(
        `  evidence  ${evidence.label} at ${evidence.frequency.toFixed(3)}: ${evidence.found ? 'found' : 'not found'}`,
      );
    }
  }
  return lines.join('\n');
}
