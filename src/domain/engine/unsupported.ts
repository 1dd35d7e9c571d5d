// NOT SUPPORTED YET (clearly marked; later tasks remove these guards as they
// implement the features). Turning on a feature the model does not implement
// would silently print a wrong state, so it is refused instead. Nothing is
// refused at the moment (union mode arrived in union.ts); the hook stays for
// the next feature.
import type { ReplayEvent } from '../events';

/** Throws ValidationError(field, "not supported yet") for features the model lacks. */
export function refuseUnsupported(_event: ReplayEvent): void {}
