// Before any e2e test: build dist/h5 when it is missing or older than its
// sources (a fresh clone has none).
import { ensureBuild } from '../../scripts/bench/h5-app';

export default async function globalSetup(): Promise<void> {
  await ensureBuild('h5', (m) => console.log(`[e2e] ${m}`));
}
