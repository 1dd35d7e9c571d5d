// Before any e2e test: build dist/h5 and admin/dist when missing or older
// than their sources (a fresh clone has neither).
import { ensureAdminBuild, ensureBuild } from '../../scripts/bench/h5-app';

export default async function globalSetup(): Promise<void> {
  await ensureBuild('h5', (m) => console.log(`[e2e] ${m}`));
  await ensureAdminBuild((m) => console.log(`[e2e] ${m}`));
}
