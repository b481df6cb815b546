import { Counter, type Registry } from 'prom-client';

/** A Prometheus counter in `registry` set at each scrape to the running total `read` returns (its source keeps the count). */
export function scrapedCounter(registry: Registry, name: string, help: string, read: () => number): Counter {
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}
