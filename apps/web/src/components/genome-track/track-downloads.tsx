/** Links to a sample's files, through the dashboard's download proxy (the key stays on the server). */
export function TrackDownloads({ runId, sample }: { runId: string; sample: string }) {
  const base = `/api/runs/${runId}`;
  const encoded = encodeURIComponent(sample);
  return (
    <nav className="track-downloads" aria-label={`Downloads for ${sample}`}>
      <a className="button button-small" href={`${base}/variants.vcf`} download={`helix-run-${runId}.vcf`}>
        VCF
      </a>
      <a
        className="button button-small"
        href={`${base}/samples/${encoded}/consensus.fa`}
        download={`helix-${sample}-consensus.fa`}
      >
        Consensus FASTA
      </a>
      <a
        className="button button-small"
        href={`${base}/samples/${encoded}/coverage.bedgraph`}
        download={`helix-${sample}-coverage.bedgraph`}
      >
        Coverage bedGraph
      </a>
    </nav>
  );
}
