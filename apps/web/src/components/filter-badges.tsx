/** What each VCF FILTER value of a population call means, for its badge's title. */
const FILTER_MEANING: Partial<Record<string, string>> = {
  LowQual: 'quality below the run’s minimum',
  LowDepth: 'too few reads cover the site',
  StrandBias: 'the alternate reads are nearly all on one strand',
};

/** A call's VCF FILTER as badges: `PASS`, or one badge per filter it fails. */
export function FilterBadges({ filters }: { filters: readonly string[] }) {
  if (filters.length === 0) return <span className="tag tag-pass">PASS</span>;
  return (
    <>
      {filters.map((filter) => (
        <span key={filter} className="tag tag-filter" title={FILTER_MEANING[filter]}>
          {filter}
        </span>
      ))}
    </>
  );
}
