import type { NextConfig } from 'next';

/** The dashboard: every asset is bundled (no CDN, no Google Fonts), so it works offline. */
const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // graphql-sse's server handler runs in route handlers on Node; keep it out of the bundler.
  serverExternalPackages: ['graphql-sse'],
  turbopack: { root: new URL('../..', import.meta.url).pathname },
};

export default config;
