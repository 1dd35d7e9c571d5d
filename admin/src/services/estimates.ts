import { checkCompliance, type ComplianceFlag } from '@/domain/compliance';
import type { Settings } from '@/domain/settings';
import { call } from './client';
import type { AdminRequest as R, AdminResponse } from './contract';

export const getLiability = () => call('queues.liability', {});
export const setLiabilityWarning = (p: R<'queues.setLiabilityWarning'>) => call('queues.setLiabilityWarning', p);
export const getComplianceInputs = () => call('compliance.inputs', {});
export const acknowledgeCompliance = (p: R<'compliance.acknowledge'>) => call('compliance.acknowledge', p);

export type ComplianceInputs = AdminResponse<'compliance.inputs'>;

/** The flags of src/domain/compliance.ts for `settings` over the catalogue the server sent: one place for the rules. */
export function flagsFor(inputs: ComplianceInputs, settings: Settings): ComplianceFlag[] {
  return checkCompliance(settings, inputs.catalogue as never);
}

/** Flags of `after` that `before` did not raise (same rule and subject, or a larger amount at stake). */
export function newFlags(before: ComplianceFlag[], after: ComplianceFlag[]): ComplianceFlag[] {
  return after.filter((f) => !before.some((b) => b.rule === f.rule && b.subject === f.subject && b.amount >= f.amount));
}
