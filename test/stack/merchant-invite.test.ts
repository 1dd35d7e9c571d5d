// A promoter invites a merchant: the invite page's merchant code (scene
// m=<code>) opens the application, which sends recruiterScene; the stored
// application names the promoter as recruiter, and the store the operator
// approves keeps it (catalog.stores.recruiter_id, which recruit rewards
// read). A code naming nobody or the applicant is refused on the field,
// nothing stored. Real functions, real database.
import { parseScannedCode, recruiterSceneFrom } from '../../src/utils/scene.ts';
import { startBackend, type Backend } from './helpers/backend.ts';
import { ledgerChecksum } from './helpers/checksum.ts';

jest.setTimeout(180_000);

let b: Backend;

async function signIn(name: string): Promise<{ token: string; memberId: string }> {
  const r = await b.call('wechat-login', { code: `sandbox:${name}`, platform: 'h5' });
  if (r.status !== 200) throw new Error(`login ${name}: ${JSON.stringify(r.body)}`);
  return { token: r.body.session.access_token, memberId: r.body.user.id };
}

const form = { storeName: '幸福便利店', contactName: '王五', phone: '13800000000', address: '城东路 1 号', category: '便利店', licenseNo: '91440300MA5FXXXX1X', intro: '' };

beforeAll(async () => {
  b = await startBackend(['wechat-login', 'api']);
});

afterAll(async () => {
  await b?.stop();
});

test("an application through the promoter's merchant invite binds the recruiter, and the approved store keeps it", async () => {
  const promoter = await signIn('promoter');
  const invite = await b.call('api', { action: 'promoter.inviteCode', platform: 'h5' }, promoter.token);
  expect(invite.status).toBe(200);
  const [{ code }] = await b.db.sql`select invite_code as code from app.profiles where member_id = ${promoter.memberId}`;
  expect(invite.body.merchantInvite).toMatchObject({ scene: `m=${code}`, path: 'packages/merchant/pages/apply/index' });
  expect(invite.body.merchantInvite.url).toContain(`#/packages/merchant/pages/apply/index?scene=m%3D${code}`);

  // What the app does with the code: 扫一扫 (or WeChat opening the page) → the application page → merchant.apply.
  const target = parseScannedCode(invite.body.merchantInvite.url);
  expect(target).toEqual({ kind: 'merchantInvite', recruiterScene: `i=${code}` });
  const recruiterScene = recruiterSceneFrom({ scene: encodeURIComponent(invite.body.merchantInvite.scene) });
  expect(recruiterScene).toBe(`i=${code}`);

  const merchant = await signIn('merchant-invited');
  const applied = await b.call('api', { action: 'merchant.apply', ...form, recruiterScene }, merchant.token);
  expect(applied.status).toBe(200);
  const [app] = await b.db.sql`select member_id, recruiter_member_id, status from app.merchant_applications where id = ${applied.body.applicationId}`;
  expect(app).toEqual({ member_id: merchant.memberId, recruiter_member_id: promoter.memberId, status: 'pending' });
  // A merchant invite is not a member invite: the applicant's own referrer is untouched.
  const [{ referrer }] = await b.db.sql`select referrer_id as referrer from members.members where id = ${merchant.memberId}`;
  expect(referrer).toBeNull();

  const operator = await signIn('merchant-operator');
  await b.db.sql`insert into app.operators (member_id, role) values (${operator.memberId}, 'admin')`;
  const reviewed = await b.call('api', { action: 'admin.merchantReview', applicationId: applied.body.applicationId, approve: true, commission: '8' }, operator.token);
  expect(reviewed.status).toBe(200);
  const [store] = await b.db.sql`select recruiter_id from catalog.stores where id = ${reviewed.body.storeId}`;
  expect(store.recruiter_id).toBe(promoter.memberId);
});

test('a recruiter code naming nobody, or the applicant, is refused on recruiterScene; nothing stored', async () => {
  const applicant = await signIn('merchant-refused');
  const [{ own }] = await b.db.sql`select invite_code as own from app.profiles where member_id = ${applicant.memberId}`;
  const count = async () => Number((await b.db.sql`select count(*) as n from app.merchant_applications`)[0].n);
  const before = { n: await count(), ledger: await ledgerChecksum(b.db.sql) };
  for (const [recruiterScene, message] of [
    ['i=ZZZZZZZZ', '推荐人邀请码无效'],
    ['m=ABCDEF', '推荐人邀请码无效'],
    ['i=abc', '推荐人邀请码无效'],
    [`i=${own}`, '不能填写自己的邀请码'],
  ] as const) {
    const r = await b.call('api', { action: 'merchant.apply', ...form, recruiterScene }, applicant.token);
    expect([recruiterScene, r.status, r.body.error.field, r.body.error.message]).toEqual([recruiterScene, 400, 'recruiterScene', message]);
  }
  expect({ n: await count(), ledger: await ledgerChecksum(b.db.sql) }).toEqual(before);
  // without a recruiter the application goes through with none
  const plain = await b.call('api', { action: 'merchant.apply', ...form }, applicant.token);
  expect(plain.status).toBe(200);
  const [row] = await b.db.sql`select recruiter_member_id from app.merchant_applications where id = ${plain.body.applicationId}`;
  expect(row.recruiter_member_id).toBeNull();
});
