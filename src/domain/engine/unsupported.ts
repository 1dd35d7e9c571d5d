// NOT SUPPORTED YET (clearly marked; later tasks remove these guards as they
// implement the features). Turning on a feature the model does not implement
// would silently print a wrong state, so it is refused instead.
import type { ReplayEvent } from '../events';
import type { SettingsPatch } from '../settings';
import { fail } from '../validate';

const NOT_YET = 'not supported yet';

function checkSettings(p: SettingsPatch): void {
  if (p.mode === 'union') fail('mode', NOT_YET); // union queue (§5)
}

/** Throws ValidationError(field, "not supported yet") for features the model lacks. */
export function refuseUnsupported(event: ReplayEvent): void {
  switch (event.type) {
    case 'settings':
      return checkSettings(event.patch);
  }
}
