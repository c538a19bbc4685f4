import { execSync } from 'node:child_process';

/**
 * Build the app once for every end-to-end file: files run in parallel, and each building into the
 * same dist/ would delete the files another one is serving.
 */
export default function setup(): void {
  if (process.env.RAFTLITE_SKIP_BUILD === '1') return;
  // RAFTLITE_OUT_DIR lets two people (or agents) in one checkout build and serve without clashing.
  const out = process.env.RAFTLITE_OUT_DIR ?? 'dist';
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  execSync(`npx vite build --outDir ${out} --emptyOutDir`, { stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' } });
}
