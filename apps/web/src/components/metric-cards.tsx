import { formatCount, formatRate } from '@/lib/format';
import type { QueueMetrics } from '@/lib/graphql/operations';

interface MetricCardsProps {
  metrics: QueueMetrics | undefined;
  variantsConfirmed: number | undefined;
}

/** The five headline figures of the live pipeline. */
export function MetricCards({ metrics, variantsConfirmed }: MetricCardsProps) {
  const cards = [
    {
      id: 'ingestion-rate',
      label: 'Ingestion rate',
      value: formatRate(metrics?.ingestionRate),
      note: 'reads taken from the producer',
    },
    {
      id: 'processing-rate',
      label: 'Processing rate',
      value: formatRate(metrics?.processingRate),
      note: 'reads analysed',
    },
    {
      id: 'reads-analysed',
      label: 'Reads analysed',
      value: formatCount(metrics?.readsAnalysed),
      note: metrics ? `of ${formatCount(metrics.readsProduced)} produced` : ' ',
    },
    {
      id: 'queue-depth',
      label: 'Queue depth',
      value: metrics ? `${formatCount(metrics.queueDepth)}` : '—',
      note: metrics ? `batches · high ${formatCount(metrics.highWater)} / low ${formatCount(metrics.lowWater)}` : ' ',
    },
    {
      id: 'variants-confirmed',
      label: 'Variants confirmed',
      value: formatCount(variantsConfirmed),
      note: 'in this run',
    },
  ];
  return (
    <dl className="cards">
      {cards.map((card) => (
        <div key={card.id} className="card" data-testid={`card-${card.id}`}>
          <dt>{card.label}</dt>
          <dd>
            <span className="card-value" data-testid={`value-${card.id}`}>
              {card.value}
            </span>
            <span className="card-note">{card.note}</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}
