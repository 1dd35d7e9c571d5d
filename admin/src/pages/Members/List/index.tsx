// 会员列表: search by keyword / level, detail drawer (wallet, referrer, team:
// direct and second-level referees, orders, entries), set a member's level.
// Shareholder status belongs to the member's level (the engine's dividend
// rule), so the drawer explains it rather than offering a per-member switch.
import { ProDescriptions, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { useQuery } from '@tanstack/react-query';
import { App, Avatar, Card, Drawer, Select, Skeleton, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useAccess } from '../../../auth';
import { EntryTable } from '../../../components/EntryTable';
import { dateTime, ORDER_STATUS } from '../../../components/labels';
import { Money } from '../../../components/money';
import { pagedRequest } from '../../../components/table';
import type { AdminMemberRow, AdminOrderRow } from '../../../services/contract';
import { listLevels, listMembers, memberDetail, setMemberLevel } from '../../../services/members';

function MemberDrawer({ id, onClose, onChanged }: { id: string | null; onClose: () => void; onChanged: () => void }) {
  const access = useAccess();
  const { message } = App.useApp();
  const detail = useQuery({ queryKey: ['member', id], queryFn: () => memberDetail({ id: id! }), enabled: !!id });
  const levels = useQuery({ queryKey: ['levels'], queryFn: listLevels });
  const d = detail.data;
  return (
    <Drawer open={!!id} onClose={onClose} width={900} title={d ? `会员详情 · ${d.member.nickname}` : '会员详情'} destroyOnHidden>
      {!d ? (
        <Skeleton active />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <ProDescriptions column={3} bordered size="small">
            <ProDescriptions.Item label="会员ID">{d.member.id}</ProDescriptions.Item>
            <ProDescriptions.Item label="昵称">{d.member.nickname}</ProDescriptions.Item>
            <ProDescriptions.Item label="注册时间">{dateTime(d.member.joinedAt)}</ProDescriptions.Item>
            <ProDescriptions.Item label="会员等级">
              <Select
                style={{ width: 160 }}
                disabled={!access.canEditMembers}
                value={d.member.levelId ?? ''}
                options={[{ label: '普通会员', value: '' }, ...(levels.data?.items ?? []).map((l) => ({ label: l.name, value: l.id }))]}
                onChange={async (v) => {
                  try {
                    await setMemberLevel({ id: d.member.id, levelId: v || null });
                    message.success('等级已更新');
                    detail.refetch();
                    onChanged();
                  } catch (e) {
                    message.error((e as Error).message);
                  }
                }}
              />
            </ProDescriptions.Item>
            <ProDescriptions.Item label="股东" tooltip="股东资格由会员等级决定（会员等级 → 股东等级），不能单独设置给某个会员">
              <span data-testid="member-shareholder">
                {d.member.isShareholder ? <Tag color="gold">股东</Tag> : '否'}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {d.member.isShareholder ? `（由等级「${d.member.levelName ?? d.member.levelId}」决定）` : '（按会员等级设置）'}
                </Typography.Text>
              </span>
            </ProDescriptions.Item>
            <ProDescriptions.Item label="推荐人">{d.referrer ? `${d.referrer.nickname}（${d.referrer.id}）` : '-'}</ProDescriptions.Item>
          </ProDescriptions>
          <Card size="small" title="钱包">
            <Space size="large" wrap>
              <span>可提现 <Money fen={d.wallet.available} /></span>
              <span>冻结 <Money fen={d.wallet.frozen} /></span>
              <span>提现中 <Money fen={d.wallet.withdrawing} /></span>
              <span>积分 {d.wallet.points}</span>
              <span>爱心值 {d.wallet.love}</span>
              <span>优惠券 <Money fen={d.wallet.coupon} /></span>
            </Space>
          </Card>
          <Tabs
            items={[
              {
                key: 'orders',
                label: `订单（${d.orders.length}）`,
                children: (
                  <Table<AdminOrderRow>
                    size="small"
                    rowKey="id"
                    dataSource={d.orders}
                    pagination={{ pageSize: 10 }}
                    columns={[
                      { title: '订单号', dataIndex: 'id' },
                      { title: '商品', dataIndex: 'title' },
                      { title: '实付', dataIndex: 'payable', render: (v) => <Money fen={v} /> },
                      { title: '状态', dataIndex: 'status', render: (v) => ORDER_STATUS[v]?.text ?? v },
                      { title: '下单时间', dataIndex: 'createdAt', render: (v) => dateTime(v) },
                    ]}
                  />
                ),
              },
              { key: 'entries', label: `排队（${d.entries.length}）`, children: <EntryTable entries={d.entries} /> },
              {
                key: 'team',
                label: `团队（直推 ${d.team.direct} / 间推 ${d.team.indirect}）`,
                children: (
                  <Space direction="vertical" style={{ width: '100%' }}>
                    <Table
                      size="small"
                      rowKey="id"
                      title={() => `直推（${d.team.direct}）`}
                      data-testid="team-direct"
                      dataSource={d.team.directMembers}
                      columns={[
                        { title: '会员ID', dataIndex: 'id' },
                        { title: '昵称', dataIndex: 'nickname' },
                        { title: '加入时间', dataIndex: 'joinedAt', render: (v) => dateTime(v) },
                      ]}
                    />
                    <Table
                      size="small"
                      rowKey="id"
                      title={() => `间推（${d.team.indirect}）`}
                      data-testid="team-indirect"
                      dataSource={d.team.indirectMembers}
                      columns={[
                        { title: '会员ID', dataIndex: 'id' },
                        { title: '昵称', dataIndex: 'nickname' },
                        { title: '推荐人（直推）', render: (_, r) => `${r.referrerNickname}（${r.referrerId}）` },
                        { title: '加入时间', dataIndex: 'joinedAt', render: (v) => dateTime(v) },
                      ]}
                    />
                  </Space>
                ),
              },
            ]}
          />
        </Space>
      )}
    </Drawer>
  );
}

export default function MembersPage() {
  const ref = useRef<ActionType>();
  const [open, setOpen] = useState<string | null>(null);
  const levels = useQuery({ queryKey: ['levels'], queryFn: listLevels });
  const columns: ProColumns<AdminMemberRow>[] = [
    { title: '关键词', dataIndex: 'keyword', hideInTable: true, fieldProps: { placeholder: '昵称 / 会员ID' } },
    {
      title: '会员',
      dataIndex: 'nickname',
      search: false,
      render: (_, m) => (
        <Space>
          <Avatar src={m.avatarUrl ?? undefined}>{(m.nickname || '微').slice(0, 1)}</Avatar>
          <a onClick={() => setOpen(m.id)}>{m.nickname || '微信用户'}</a>
        </Space>
      ),
    },
    { title: '会员ID', dataIndex: 'id', search: false, copyable: true },
    { title: '等级', dataIndex: 'levelId', valueType: 'select', fieldProps: { options: (levels.data?.items ?? []).map((l) => ({ label: l.name, value: l.id })) }, render: (_, m) => m.levelName ?? '普通会员' },
    { title: '标签', search: false, render: (_, m) => <Space>{m.isShareholder && <Tag color="gold">股东</Tag>}{m.isMerchant && <Tag color="blue">商家</Tag>}</Space> },
    { title: '推荐人', dataIndex: 'referrerId', fieldProps: { placeholder: '推荐人会员ID' } },
    { title: '订单数', dataIndex: 'orderCount', search: false },
    { title: '可提现', dataIndex: 'available', search: false, render: (_, m) => <Money fen={m.available} /> },
    { title: '冻结', dataIndex: 'frozen', search: false, render: (_, m) => <Money fen={m.frozen} /> },
    { title: '注册时间', dataIndex: 'joinedAt', search: false, render: (_, m) => dateTime(m.joinedAt) },
    { title: '操作', valueType: 'option', render: (_, m) => [<a key="d" onClick={() => setOpen(m.id)}>详情</a>] },
  ];
  return (
    <>
      <ProTable<AdminMemberRow> rowKey="id" actionRef={ref} headerTitle="会员列表" columns={columns} request={pagedRequest(listMembers) as never} pagination={{ defaultPageSize: 20 }} />
      <MemberDrawer id={open} onClose={() => setOpen(null)} onChanged={() => ref.current?.reload()} />
    </>
  );
}
