const PROMQL_KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'Inf', 'NaN', 'inf', 'nan']);

/**
 * The metric names a PromQL expression reads: identifiers that are neither called (functions,
 * aggregations), nor keywords, nor labels (in matchers or by/without/on/ignoring/group lists).
 */
export function metricNames(expression: string): string[] {
  const bare = expression
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const [, name, call] of bare.matchAll(/(?<![\w.])([A-Za-z_:][\w:]*)\s*(\()?/g)) {
    if (name && !call && !PROMQL_KEYWORDS.has(name)) names.add(name);
  }
  return [...names];
}

/** Every sample name a Prometheus text exposition offers, histogram and summary series included. */
export function exposedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const [, family, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (!family) continue;
    names.add(family);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(family + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(family + suffix);
  }
  for (const [, sample] of exposition.matchAll(/^([A-Za-z_:][\w:]*)[{ ]/gm)) if (sample) names.add(sample);
  return names;
}
