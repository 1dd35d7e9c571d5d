// The one permission map (Ant Design Pro's access.ts): role → named booleans,
// taken from the admin contract (ROLE_PERMISSIONS), which the database's
// ops.role_permissions mirrors and enforces again: a button shown here is
// never the only guard.
import { accessOf, ROLE_NAMES, type OperatorRole, type Permission } from './services/contract';

export type AccessKey = Permission;
export type Access = Record<Permission, boolean>;

export function accessFor(role: OperatorRole | null | undefined): Access {
  return accessOf(role);
}

export { ROLE_NAMES };
