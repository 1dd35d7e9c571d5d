// 会员等级 / 推广等级: one table (ratio = member-level reward ratio of §4,
// teamRatio = the promoter level's team ratio of §6), edited in a modal.
import { PlusOutlined } from '@ant-design/icons';
import { ModalForm, ProFormDigit, ProFormSwitch, ProFormText, ProTable, type ActionType } from '@ant-design/pro-components';
import { App, Button, Tag } from 'antd';
import { useRef, useState } from 'react';
import { useAccess } from '../../../auth';
import { ratioRule, ratioText } from '../../../components/money';
import { listRequest } from '../../../components/table';
import type { AdminMemberLevel } from '../../../services/contract';
import { listLevels, saveLevel } from '../../../services/members';

export default function LevelsPage() {
  const access = useAccess();
  const { message } = App.useApp();
  const ref = useRef<ActionType>();
  const [editing, setEditing] = useState<AdminMemberLevel | null | undefined>(undefined);
  return (
    <>
      <ProTable<AdminMemberLevel>
        rowKey="id"
        actionRef={ref}
        headerTitle="会员等级与推广等级"
        search={false}
        request={listRequest(listLevels)}
        columns={[
          { title: '等级ID', dataIndex: 'id' },
          { title: '名称', dataIndex: 'name' },
          { title: '排序', dataIndex: 'rank' },
          { title: '会员奖励比例', dataIndex: 'ratio', render: (_, l) => ratioText(l.ratio) },
          { title: '推广团队比例', dataIndex: 'teamRatio', render: (_, l) => ratioText(l.teamRatio) },
          { title: '股东', dataIndex: 'shareholder', render: (_, l) => (l.shareholder ? <Tag color="gold">股东</Tag> : '-') },
          { title: '会员数', dataIndex: 'memberCount' },
          { title: '操作', valueType: 'option', render: (_, l) => (access.canEditMembers ? [<a key="e" onClick={() => setEditing(l)}>编辑</a>] : []) },
        ]}
        toolBarRender={() => [
          access.canEditMembers && (
            <Button key="n" type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>
              新建等级
            </Button>
          ),
        ]}
      />
      <ModalForm<{ id: string; name: string; ratio?: string; teamRatio?: string; shareholder?: boolean; rank?: number }>
        title={editing ? `编辑等级 · ${editing.name}` : '新建等级'}
        open={editing !== undefined}
        modalProps={{ destroyOnHidden: true, onCancel: () => setEditing(undefined) }}
        initialValues={editing ? { ...editing, ratio: editing.ratio ?? '', teamRatio: editing.teamRatio ?? '', rank: editing.rank ?? undefined } : { shareholder: false }}
        onFinish={async (v) => {
          try {
            await saveLevel({ id: v.id.trim(), name: v.name.trim(), ratio: v.ratio?.trim() || null, teamRatio: v.teamRatio?.trim() || null, shareholder: !!v.shareholder, rank: v.rank ?? null });
            message.success('等级已保存');
            setEditing(undefined);
            ref.current?.reload();
            return true;
          } catch (e) {
            message.error((e as Error).message);
            return false;
          }
        }}
      >
        <ProFormText name="id" label="等级ID" disabled={!!editing} rules={[{ required: true, message: '请输入等级ID' }, { pattern: /^[A-Za-z0-9_-]{1,32}$/, message: '字母、数字、下划线或短横线' }]} />
        <ProFormText name="name" label="名称" rules={[{ required: true, message: '请输入名称' }]} />
        <ProFormText name="ratio" label="会员奖励比例" fieldProps={{ suffix: '%' }} rules={[ratioRule(false)]} tooltip="§4 会员等级比例；留空 = 不设置" />
        <ProFormText name="teamRatio" label="推广团队比例" fieldProps={{ suffix: '%' }} rules={[ratioRule(false)]} tooltip="分销级差用；留空 = 不设置" />
        <ProFormDigit name="rank" label="排序（越大越高）" fieldProps={{ precision: 0 }} />
        <ProFormSwitch name="shareholder" label="股东等级" tooltip="该等级的所有会员参与股东分红；股东资格只按等级设置" />
      </ModalForm>
    </>
  );
}
