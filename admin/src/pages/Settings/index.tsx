// 返利设置: every base setting of SPEC §8 in groups. Save = validate (field
// rules, then the domain's validateSettingsPatch naming the field), show the
// before/after diff, and only on confirm send the patch (audited server-side
// with the operator's identity).
import {
  ProCard,
  ProForm,
  ProFormDependency,
  ProFormDigit,
  ProFormRadio,
  ProFormSelect,
  ProFormSwitch,
  ProFormText,
  type ProFormInstance,
} from '@ant-design/pro-components';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Col, Form, Modal, Popconfirm, Row, Skeleton, Space, Table, Tabs, Tag } from 'antd';
import type { ComplianceFlag } from '@/domain/compliance';
import { useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { Settings, SettingsPatch } from '@/domain/settings';
import { mergeSettings, validateSettingsPatch } from '@/domain/settings';
import { ValidationError } from '@/domain/validate';
import { useAccess } from '../../auth';
import { flagText } from '../../components/compliance';
import { fenRule, ratioRule, YuanInput } from '../../components/money';
import type { SiteSettings } from '../../services/contract';
import { listLevels } from '../../services/members';
import { acknowledgeCompliance, flagsFor, getComplianceInputs, newFlags } from '../../services/estimates';
import { enableAllProducts, getSettings, previewSettings, updateSettings } from '../../services/settings';
import { fromForm, patchOf, serverDiffRows, sitePatchOf, toForm, type DiffRow, type SettingsForm } from './model';

type PageForm = SettingsForm & { site: SiteSettings };
/** The change to confirm, and the compliance flags (SPEC §9) it would newly raise: those need an acknowledgement. */
type Pending = { patch: SettingsPatch; site?: Partial<SiteSettings>; rows: DiffRow[]; flags: ComplianceFlag[] };


const R = (label: string, name: string | string[], opts: { max?: number; tooltip?: string; required?: boolean } = {}) => (
  <ProFormText
    name={name}
    label={label}
    tooltip={opts.tooltip}
    width="sm"
    fieldProps={{ suffix: '%', 'data-testid': `setting-${Array.isArray(name) ? name.join('.') : name}` } as never}
    rules={[ratioRule(opts.required ?? true, opts.max)]}
  />
);

const S = (label: string, name: string | string[], tooltip?: string) => (
  <ProFormSwitch
    name={name}
    label={label}
    tooltip={tooltip}
    checkedChildren="开"
    unCheckedChildren="关"
    fieldProps={{ 'data-testid': `setting-${Array.isArray(name) ? name.join('.') : name}` } as never}
  />
);

function Grid({ children }: { children: React.ReactNode[] }) {
  return (
    <Row gutter={24}>
      {children.map((c, i) => (
        <Col key={i} xs={24} md={12} xl={8}>
          {c}
        </Col>
      ))}
    </Row>
  );
}

/** The tab that holds a top-level setting (to show the first invalid field). */
const TAB_OF: Record<string, string> = {
  extractRatio: 'ratios',
  defaultRatio: 'ratios',
  memberLevelRatios: 'ratios',
  lottery: 'lottery',
  exchangeRatio: 'exchange',
  randomReturn: 'random',
  clearing: 'clearing',
  paused: 'pause',
  display: 'display',
  exchangeButtonName: 'display',
  deductionOrders: 'deduction',
  unionQuotaRatio: 'union',
  unionPoolRatio: 'union',
  unionDailyAt: 'union',
  distribution: 'distribution',
  site: 'site',
};

export default function SettingsPage() {
  const access = useAccess();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const formRef = useRef<ProFormInstance<PageForm>>();
  const [pending, setPending] = useState<Pending | null>(null);
  const [acknowledged, setAcknowledged] = useState(false);
  const compliance = useQuery({ queryKey: ['compliance-inputs'], queryFn: getComplianceInputs });
  // ?tab=union opens that group (the 工会排队 page links to it).
  const [params] = useSearchParams();
  const [tab, setTab] = useState(() => params.get('tab') ?? 'basic');
  const settings = useQuery({ queryKey: ['settings'], queryFn: getSettings });
  const levels = useQuery({ queryKey: ['levels'], queryFn: listLevels });
  const save = useMutation({
    mutationFn: async (p: Pending) => {
      // The acknowledgement goes into the audit log (with the operator) before the change itself.
      if (p.flags.length > 0) {
        await acknowledgeCompliance({
          patch: p.patch as never,
          flags: p.flags.map((f) => ({ rule: f.rule, subject: f.subject, amount: f.amount, per: f.per, message: f.message })),
        });
      }
      return updateSettings({ patch: p.patch as never, ...(p.site ? { site: p.site } : {}) });
    },
    onSuccess: (res) => {
      qc.invalidateQueries({ queryKey: ['settings'] });
      formRef.current?.setFieldsValue({ ...toForm(res.settings as Settings), site: res.site });
      setPending(null);
      message.success('设置已保存，操作已记录到日志');
    },
    onError: (e: Error & { field?: string | null }) => {
      message.error(e.message);
      if (e.field) formRef.current?.setFields([{ name: e.field.replace(/^patch\./, '').split('.') as never, errors: [e.message] }]);
    },
  });
  const enableAll = useMutation({
    mutationFn: enableAllProducts,
    onSuccess: (r) => message.success(`已为 ${r.updated} 个商品开启排队返利`),
    onError: (e: Error) => message.error(e.message),
  });

  if (settings.isLoading) return <Skeleton active />;
  if (settings.error || !settings.data) return <Alert type="error" showIcon message={(settings.error as Error)?.message ?? '加载失败'} />;
  const current = settings.data.settings as Settings;
  const site = settings.data.site;
  const readOnly = !access.canEditSettings;
  const levelIds = [...new Set([...(levels.data?.items ?? []).map((l) => l.id), ...Object.keys(current.memberLevelRatios)])];
  const levelName = (id: string) => levels.data?.items.find((l) => l.id === id)?.name ?? id;

  const onFinish = async (values: PageForm) => {
    const { site: siteValues, ...engineValues } = values;
    const merged = { ...toForm(current), ...engineValues, lottery: { ...toForm(current).lottery, ...engineValues.lottery } } as SettingsForm;
    const next = fromForm(merged, current);
    const patch = patchOf(current, next);
    const sitePatch = sitePatchOf(site, siteValues);
    if (Object.keys(patch).length === 0 && !sitePatch) {
      message.info('没有修改');
      return;
    }
    try {
      validateSettingsPatch(patch);
    } catch (e) {
      if (e instanceof ValidationError) {
        const name = e.field.replace(/\[\d+\]$/, '').split('.');
        setTab(TAB_OF[name[0]] ?? 'basic');
        formRef.current?.setFields([{ name: name as never, errors: [`设置有误：${e.reason}`] }]);
        message.error(`设置有误（${e.field}）：${e.reason}`);
        return;
      }
      throw e;
    }
    try {
      // The server's own diff (validated exactly like the save): what the confirm dialog shows.
      const preview = await previewSettings({ patch: patch as never, ...(sitePatch ? { site: sitePatch } : {}) });
      const flags = compliance.data ? newFlags(flagsFor(compliance.data, current), flagsFor(compliance.data, mergeSettings(current, patch))) : [];
      setAcknowledged(false);
      setPending({ patch, site: sitePatch ?? undefined, rows: serverDiffRows(preview.diff), flags });
    } catch (e) {
      const err = e as Error & { field?: string | null };
      message.error(err.message);
      if (err.field) {
        const name = err.field.replace(/^patch\./, '').split('.');
        setTab(TAB_OF[name[0]] ?? 'basic');
        formRef.current?.setFields([{ name: name as never, errors: [err.message] }]);
      }
    }
  };

  const groups = [
    {
      key: 'basic',
      label: '基础设置',
      children: (
        <Grid>
          {[
            S('启用排队返利', 'enabled'),
            S('新商品默认参与排队', 'newProductsDefaultOn'),
            <ProFormText key="name" name="name" label="插件名称" width="md" rules={[{ required: true, message: '请输入名称' }, { max: 20, message: '最多 20 个字' }]} />,
            <ProFormRadio.Group key="settleOn" name="settleOn" label="结算时机" options={[{ label: '支付后', value: 'paid' }, { label: '订单完成后', value: 'completed' }]} />,
            <ProFormRadio.Group key="queueOrder" name="queueOrder" label="排队顺序" options={[{ label: '严格按顺序', value: 'strict' }, { label: '已完成订单优先', value: 'completedFirst' }]} />,
            <ProFormRadio.Group key="mode" name="mode" label="排队模式" options={[{ label: '经典排队', value: 'classic' }, { label: '工会排队', value: 'union' }]} />,
            S('商城统一队列', 'mallQueue', '开启后全部商城商品共用一个队列'),
            S('全部门店统一队列', 'allStoresQueue'),
            S('全部收银台统一队列', 'allCashiersQueue'),
            <ProFormRadio.Group key="efq" name="emptyQueueFunds" label="空队列资金去向" options={[{ label: '平台', value: 'platform' }, { label: '队列储备金', value: 'reserve' }]} />,
            <ProFormDigit key="asd" name="afterSalesDays" label="售后期（天）" min={0} max={365} fieldProps={{ precision: 0 }} width="sm" />,
            S('爱心值冻结', 'loveFrozen'),
          ]}
        </Grid>
      ),
    },
    {
      key: 'ratios',
      label: '比例设置',
      children: (
        <>
          <Grid>
            {[
              R('提取比例', 'extractRatio', { max: 100, tooltip: '每笔订单实付金额中提取用于返还前面排队者的比例' }),
              R('默认奖励比例', 'defaultRatio', { tooltip: '奖励权益 = 实付金额 × 奖励比例' }),
            ]}
          </Grid>
          <ProCard title="会员等级奖励比例" size="small" bordered style={{ marginTop: 8 }} subTitle="留空 = 该等级不单独设置，沿用后续来源">
            {levelIds.length === 0 ? (
              <span style={{ color: '#999' }}>暂无会员等级，请先在「会员等级」中添加</span>
            ) : (
              <Grid>{levelIds.map((id) => <span key={id}>{R(`${levelName(id)}（${id}）`, ['memberLevelRatios', id], { required: false })}</span>)}</Grid>
            )}
          </ProCard>
        </>
      ),
    },
    {
      key: 'lottery',
      label: '抽奖',
      children: (
        <>
          {S('开启抽奖', ['lottery', 'on'])}
          <ProFormDependency name={[['lottery', 'on'], ['lottery', 'kind']]}>
            {({ lottery }) =>
              lottery?.on ? (
                <>
                  <ProFormRadio.Group name={['lottery', 'kind']} label="抽奖方式" options={[{ label: '固定比例', value: 'fixed' }, { label: '区间随机', value: 'range' }]} />
                  {lottery.kind === 'range' ? (
                    <Grid>{[R('最低比例', ['lottery', 'min']), R('最高比例', ['lottery', 'max'])]}</Grid>
                  ) : (
                    <Grid>
                      {[
                        <ProFormText key="r" name={['lottery', 'ratios']} label="可抽中的比例（%）" placeholder="如 100, 130, 150" width="md" fieldProps={{ 'data-testid': 'setting-lottery.ratios' } as never} rules={[{ required: true, message: '请输入至少一个比例' }]} />,
                        <ProFormText key="w" name={['lottery', 'weights']} label="权重（可选）" placeholder="如 1, 1, 1" width="md" />,
                      ]}
                    </Grid>
                  )}
                </>
              ) : null
            }
          </ProFormDependency>
        </>
      ),
    },
    {
      key: 'exchange',
      label: '兑换比例',
      children: <Grid>{[R('兑换积分', ['exchangeRatio', 'points']), R('兑换爱心值', ['exchangeRatio', 'love']), R('兑换优惠券', ['exchangeRatio', 'coupon'])]}</Grid>,
    },
    {
      key: 'random',
      label: '随机返还',
      children: (
        <Grid>
          {[
            S('开启随机返还', ['randomReturn', 'on']),
            <ProFormDigit key="c" name={['randomReturn', 'cashCount']} label="每组现金名额" min={0} max={1000} fieldProps={{ precision: 0 }} width="sm" />,
            <ProFormDigit key="p" name={['randomReturn', 'pointsCount']} label="每组积分名额" min={0} max={1000} fieldProps={{ precision: 0 }} width="sm" />,
          ]}
        </Grid>
      ),
    },
    {
      key: 'clearing',
      label: '定时清零',
      children: (
        <Grid>
          {[
            S('开启定时清零', ['clearing', 'on']),
            <ProFormText
              key="s"
              name={['clearing', 'schedule']}
              label="清零时间"
              width="md"
              tooltip='"daily HH:MM"（每天）、"weekly D HH:MM"（每周，1=周一）、"monthly D HH:MM"（每月 1–28 日）或 ISO 时间'
              rules={[
                { required: true, message: '请输入清零时间' },
                { pattern: /^(daily ([01]\d|2[0-3]):[0-5]\d|weekly [1-7] ([01]\d|2[0-3]):[0-5]\d|monthly ([1-9]|1\d|2[0-8]) ([01]\d|2[0-3]):[0-5]\d|\d{4}-\d{2}-\d{2}T.+)$/, message: '格式如 daily 00:00 / weekly 1 03:00 / monthly 1 03:00' },
              ]}
            />,
          ]}
        </Grid>
      ),
    },
    {
      key: 'pause',
      label: '暂停',
      children: (
        <>
          <Alert type="warning" showIcon message="暂停后新订单仍会加入队列，但不再向排队者返还，直到恢复。" style={{ marginBottom: 16 }} />
          {S('暂停全部队列返利', 'paused')}
        </>
      ),
    },
    {
      key: 'display',
      label: '显示与名称',
      children: (
        <Grid>
          {[
            <ProFormText key="n" name="name" label="插件名称" width="md" />,
            <ProFormText key="b" name="exchangeButtonName" label="兑换按钮名称" width="md" rules={[{ required: true, message: '请输入名称' }, { max: 10, message: '最多 10 个字' }]} />,
            S('队列ID', ['display', 'queueId']),
            S('队列进程', ['display', 'progress']),
            S('累计奖励', ['display', 'cumulativeReward']),
            S('待奖励', ['display', 'pendingReward']),
            S('会员信息', ['display', 'memberInfo']),
            S('待奖励金额', ['display', 'pendingAmount']),
          ]}
        </Grid>
      ),
    },
    {
      key: 'deduction',
      label: '抵扣订单',
      children: (
        <ProFormRadio.Group
          name="deductionOrders"
          label="使用积分/爱心值/优惠券抵扣的订单"
          options={[
            { label: '参与排队（按实付金额）', value: 'join' },
            { label: '不参与排队', value: 'noJoin' },
          ]}
        />
      ),
    },
    {
      key: 'union',
      label: '工会参数',
      children: (
        <>
          <Alert
            type="info"
            showIcon
            message="工会模式：加速奖励比例在「分销」中设置；每个商品、门店（门店商品与收银台可单独设置）的最短等待天数在其「排队返利设置」中。"
            style={{ marginBottom: 16 }}
          />
        <Grid>
          {[
            R('工会额度比例', 'unionQuotaRatio'),
            R('工会奖池比例', 'unionPoolRatio'),
            <ProFormText key="t" name="unionDailyAt" label="每日结算时间" width="sm" rules={[{ pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: '格式 HH:MM' }]} />,
          ]}
        </Grid>
        </>
      ),
    },
    {
      key: 'site',
      label: '提现与订单',
      children: (
        <Grid>
          {[
            <Form.Item key="a" name={['site', 'withdrawRule', 'minAmount']} label="单笔最低提现" rules={[fenRule(true)]}>
              <YuanInput style={{ width: 200 }} />
            </Form.Item>,
            <Form.Item key="b" name={['site', 'withdrawRule', 'maxAmount']} label="单笔最高提现" rules={[fenRule(true)]}>
              <YuanInput style={{ width: 200 }} />
            </Form.Item>,
            R('提现手续费率', ['site', 'withdrawRule', 'feeRatio'], { max: 100 }),
            <Form.Item key="c" name={['site', 'withdrawRule', 'minFee']} label="最低手续费" rules={[fenRule(true)]}>
              <YuanInput style={{ width: 200 }} />
            </Form.Item>,
            <ProFormDigit key="d" name={['site', 'orderPayMinutes']} label="未支付订单关闭（分钟）" min={5} max={1440} fieldProps={{ precision: 0 }} width="sm" />,
            S('退款需人工审核', ['site', 'refundReview']),
          ]}
        </Grid>
      ),
    },
    {
      key: 'distribution',
      label: '分销',
      children: (
        <>
          <Alert type="info" showIcon message="合规提示：微信禁止多级团队计酬；默认只开启直推与间推两级，比例建议合计不超过商品毛利。" style={{ marginBottom: 16 }} />
          <Grid>
            {[
              S('开启分销', ['distribution', 'on']),
              <ProFormRadio.Group key="b" name={['distribution', 'base']} label="计算基数" options={[{ label: '实付金额', value: 'paid' }, { label: '利润', value: 'profit' }]} />,
              R('直推奖励', ['distribution', 'directRatio']),
              R('间推奖励', ['distribution', 'indirectRatio']),
              S('级差奖励', ['distribution', 'levelDifference']),
              R('平级奖励', ['distribution', 'sameLevelRatio']),
              R('股东分红', ['distribution', 'dividendRatio']),
              <ProFormSelect key="dp" name={['distribution', 'dividendPeriod']} label="分红周期" width="sm" options={[{ label: '每月', value: 'monthly' }, { label: '每周', value: 'weekly' }]} />,
              <ProFormSelect key="ds" name={['distribution', 'dividendSplit']} label="分红方式" width="sm" options={[{ label: '平均分配', value: 'equal' }, { label: '按权重', value: 'weighted' }]} />,
              R('招商奖励', ['distribution', 'recruitRatio']),
              R('加速奖励', ['distribution', 'accelerationRatio']),
              R('奖励封顶', ['distribution', 'cap']),
            ]}
          </Grid>
        </>
      ),
    },
  ];

  return (
    <>
      {readOnly && <Alert type="info" showIcon message="当前角色只能查看设置" style={{ marginBottom: 16 }} />}
      <ProForm<PageForm>
        formRef={formRef}
        initialValues={{ ...toForm(current), site }}
        disabled={readOnly}
        onFinish={onFinish}
        onFinishFailed={({ errorFields }) => {
          const first = String(errorFields[0]?.name?.[0] ?? '');
          setTab(TAB_OF[first] ?? tab);
          message.error('请检查标红的设置项');
        }}
        submitter={{
          render: (_, dom) =>
            readOnly ? null : (
              <Space>
                {dom[0]}
                <Button type="primary" htmlType="submit" data-testid="settings-save">
                  保存设置
                </Button>
                <Popconfirm title="为全部现有商品开启排队返利？" okText="确认开启" cancelText="取消" onConfirm={() => enableAll.mutate()}>
                  <Button loading={enableAll.isPending} data-testid="settings-enable-all">
                    一键开启全部商品
                  </Button>
                </Popconfirm>
              </Space>
            ),
          resetButtonProps: { children: '重置' } as never,
        }}
      >
        <ProCard>
          <Tabs activeKey={tab} onChange={setTab} items={groups.map((g) => ({ ...g, forceRender: true, label: <span data-testid={`settings-tab-${g.key}`}>{g.label}</span> }))} />
        </ProCard>
      </ProForm>
      <Modal
        open={!!pending}
        title="确认修改以下设置"
        width={720}
        okText="确认保存"
        cancelText="返回修改"
        confirmLoading={save.isPending}
        onOk={() => pending && save.mutate(pending)}
        onCancel={() => setPending(null)}
        okButtonProps={{ 'data-testid': 'settings-confirm', disabled: !!pending && pending.flags.length > 0 && !acknowledged } as never}
        destroyOnHidden
      >
        {pending && pending.flags.length > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="settings-compliance"
            message="此修改触发合规提示（2018 年六部门关于消费返利的风险提示、微信禁止多级团队计酬）"
            description={
              <Space direction="vertical">
                {pending.flags.map((f) => (
                  <div key={`${f.rule}:${f.subject}`} data-testid={`settings-flag-${f.rule}-${f.subject}`}>
                    {flagText(f)}
                  </div>
                ))}
                <Checkbox checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} data-testid="settings-acknowledge">
                  我已了解上述风险，确认保存（将以我的账号记入操作日志）
                </Checkbox>
              </Space>
            }
          />
        )}
        <Table<DiffRow>
          size="small"
          rowKey="path"
          pagination={false}
          dataSource={pending?.rows ?? []}
          data-testid="settings-diff"
          columns={[
            { title: '设置项', dataIndex: 'label' },
            { title: '修改前', dataIndex: 'before', render: (v) => <Tag>{v}</Tag> },
            { title: '修改后', dataIndex: 'after', render: (v) => <Tag color="orange">{v}</Tag> },
          ]}
        />
      </Modal>
    </>
  );
}
