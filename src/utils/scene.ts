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

/**
 * A merchant invite (the promoter's 邀请商家入驻 code: scene `m=<code>` on the
 * application page, or `recruiter=<code>`) as the recruiter scene
 * `merchant.apply` takes (`i=<code>`); null when there is none.
 */
export function recruiterSceneFrom(params: Record<string, string | undefined>): string | null {
  const raw = params.scene ? decode(params.scene) : params.recruiter ? decode(params.recruiter) : '';
  const code = raw.replace(/^[mi]=/, '');
  const scene = `i=${code}`;
  return code && INVITE.test(scene) ? scene : null;
}

/** What a scanned or typed code opens. */
export type ScanTarget =
  | { kind: 'cashier'; cashierId: string }
  | { kind: 'product'; productId: string }
  | { kind: 'invite'; scene: string }
  | { kind: 'merchantInvite'; recruiterScene: string };

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A bare code: `c=` cashier, `p=` product, `i=` invite, `m=` merchant invite, else a cashier id. */
function bareTarget(code: string): ScanTarget | null {
  const v = code.trim();
  if (/^i=/.test(v)) return INVITE.test(v) ? { kind: 'invite', scene: v } : null;
  if (/^m=/.test(v)) {
    const recruiterScene = recruiterSceneFrom({ scene: v });
    return recruiterScene ? { kind: 'merchantInvite', recruiterScene } : null;
  }
  if (/^p=/.test(v)) return ID.test(v.slice(2)) ? { kind: 'product', productId: v.slice(2) } : null;
  const cashierId = cashierIdFrom({ scene: v });
  return cashierId ? { kind: 'cashier', cashierId } : null;
}

/**
 * Parses what 扫一扫 read (WeChat's scanCode `path` of a mini-program code,
 * the text of a QR code: an h5 link) or what was typed into the code field
 * (a link or a bare code). Links are recognised by their page: cashier,
 * product, merchant application, or any page with an invite scene.
 */
export function parseScannedCode(text: string | undefined | null): ScanTarget | null {
  const s = (text ?? '').trim();
  if (!s || s.length > 500) return null;
  if (!/[/?#]/.test(s)) return bareTarget(decode(s));
  // the page path and query: after "#/" in h5 links, else the path itself
  const hash = s.indexOf('#/');
  const route = hash >= 0 ? s.slice(hash + 2) : s.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/^\//, '');
  const [page, query = ''] = route.split('?');
  const params: Record<string, string> = {};
  for (const pair of query.split('&')) {
    const i = pair.indexOf('=');
    if (i > 0) params[pair.slice(0, i)] = pair.slice(i + 1);
  }
  if (page.endsWith('packages/cashier/pages/pay/index')) {
    const cashierId = cashierIdFrom(params);
    return cashierId ? { kind: 'cashier', cashierId } : null;
  }
  if (page.endsWith('packages/shop/pages/product/index')) {
    const id = params.id ? decode(params.id) : '';
    return ID.test(id) ? { kind: 'product', productId: id } : null;
  }
  if (page.endsWith('packages/merchant/pages/apply/index')) {
    const recruiterScene = recruiterSceneFrom(params);
    return recruiterScene ? { kind: 'merchantInvite', recruiterScene } : null;
  }
  const scene = params.scene ? decode(params.scene) : params.invite ? `i=${decode(params.invite)}` : '';
  return INVITE.test(scene) ? { kind: 'invite', scene } : null;
}
