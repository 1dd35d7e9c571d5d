// QR scenes: cashier codes carry the cashier id; invite codes carry "i=<code>".
const INVITE = /^i=[A-Za-z0-9_-]{1,30}$/;

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The invite scene from launch/page query (weapp `scene`, h5 `scene` or `invite`). */
export function inviteSceneFrom(query: Record<string, string | undefined> | undefined): string | null {
  let scene = query?.scene ? decode(query.scene) : null;
  if (!scene && query?.invite) scene = `i=${decode(query.invite)}`;
  if (!scene && typeof window !== 'undefined' && window.location && process.env.TARO_ENV === 'h5') {
    const m = /[?&](scene|invite)=([^&#]+)/.exec(window.location.href);
    if (m) scene = m[1] === 'invite' ? `i=${decode(m[2])}` : decode(m[2]);
  }
  return scene && INVITE.test(scene) ? scene : null;
}

/** The cashier id of a cashier code: `scene` (weapp unlimited code) or `cashierId`. */
export function cashierIdFrom(params: Record<string, string | undefined>): string | null {
  const raw = params.scene ?? params.cashierId ?? params.id;
  if (!raw) return null;
  const v = decode(raw).replace(/^c=/, '');
  return /^[A-Za-z0-9_-]{1,64}$/.test(v) ? v : null;
}
