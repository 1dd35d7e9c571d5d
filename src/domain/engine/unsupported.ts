// NOT SUPPORTED YET (clearly marked; later tasks remove these guards as they
// implement the features). Turning on a feature the model does not implement
// would silently print a wrong state, so it is refused instead.
import type { QueueConfig, ReplayEvent } from '../events';
import type { SettingsPatch } from '../settings';
import { fail, join } from '../validate';

const NOT_YET = 'not supported yet';

function checkQueue(q: QueueConfig, path = 'queue'): void {
  if (q.memberLevelRatios && Object.keys(q.memberLevelRatios).length > 0) fail(join(path, 'memberLevelRatios'), NOT_YET);
  if (q.cumulativeTiers && q.cumulativeTiers.length > 0) fail(join(path, 'cumulativeTiers'), NOT_YET);
  if (q.lottery) fail(join(path, 'lottery'), NOT_YET);
  if (q.randomReturn?.on) fail(join(join(path, 'randomReturn'), 'on'), NOT_YET);
}

function checkSettings(p: SettingsPatch): void {
  if (p.mode === 'union') fail('mode', NOT_YET); // union queue (§5)
  if (p.memberLevelRatios && Object.keys(p.memberLevelRatios).length > 0) fail('memberLevelRatios', NOT_YET);
  if (p.lottery) fail('lottery', NOT_YET);
  if (p.randomReturn?.on) fail('randomReturn.on', NOT_YET);
  if (p.clearing?.on) fail('clearing.on', NOT_YET);
}

/** Throws ValidationError(field, "not supported yet") for features the model lacks. */
export function refuseUnsupported(event: ReplayEvent): void {
  switch (event.type) {
    case 'settings':
      return checkSettings(event.patch);
    case 'level':
      if (event.ratio !== undefined) fail('ratio', NOT_YET); // member-level ratios (§4)
      return;
    case 'product':
    case 'store':
    case 'storeProduct':
    case 'cashier':
      return checkQueue(event.queue);
    case 'draw':
    case 'exchange':
    case 'tick':
      fail('type', NOT_YET);
  }
}
