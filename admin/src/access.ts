// The one permission map (Ant Design Pro's access.ts): role → named booleans.
// Each is derived from the contract's action → roles table, which the database
// enforces again, so a button shown here is never the only guard.
import { ADMIN_PERMISSIONS, type AdminAction, type OperatorRole } from './services/contract';

export function can(role: OperatorRole | null | undefined, action: AdminAction): boolean {
  return !!role && (ADMIN_PERMISSIONS[action] as readonly string[]).includes(role);
}

/** Named permissions: routes and buttons ask these, never a role. */
export const ACCESS = {
  canViewSettings: 'settings.get',
  canEditSettings: 'settings.update',
  canViewCatalogue: 'catalog.products',
  canEditCatalogue: 'catalog.saveProduct',
  canImportProducts: 'catalog.importProducts',
  canViewMembers: 'members.list',
  canSetMemberLevel: 'members.setLevel',
  canSetShareholder: 'members.setShareholder',
  canEditLevels: 'levels.save',
  canViewMerchants: 'merchants.applications',
  canReviewMerchants: 'merchants.review',
  canEditStores: 'merchants.saveStore',
  canViewOrders: 'orders.list',
  canViewRefunds: 'refunds.list',
  canReviewRefunds: 'refunds.review',
  canViewWithdrawals: 'withdrawals.list',
  canReviewWithdrawals: 'withdrawals.review',
  canViewAnomalies: 'anomalies.list',
  canResolveAnomalies: 'anomalies.resolve',
  canViewQueues: 'queues.list',
  canPauseQueues: 'queues.setPaused',
  canRunClearing: 'queues.runClearing',
  canViewAudit: 'audit.list',
} as const satisfies Record<string, AdminAction>;

export type AccessKey = keyof typeof ACCESS;
export type Access = Record<AccessKey, boolean>;

export function accessFor(role: OperatorRole | null | undefined): Access {
  const out = {} as Access;
  for (const [key, action] of Object.entries(ACCESS) as [AccessKey, AdminAction][]) out[key] = can(role, action);
  return out;
}

export const ROLE_NAMES: Record<OperatorRole, string> = { admin: '管理员', finance: '财务', support: '客服' };
