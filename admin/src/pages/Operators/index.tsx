// 后台账号: operators, their role, active flag and lock state; create, edit,
// reset a password.
import { PlusOutlined } from '@ant-design/icons';
import { ModalForm, ProFormSelect, ProFormSwitch, ProFormText, ProTable, type ActionType } from '@ant-design/pro-components';
import { App, Button, Tag } from 'antd';
import { useRef, useState } from 'react';
import { ROLE_NAMES } from '../../access';
import { dateTime } from '../../components/labels';
import { listRequest } from '../../components/table';
import { OPERATOR_ROLES, type AdminResponse, type OperatorRole } from '../../services/contract';
import { listOperators, saveOperator } from '../../services/operators';

type Row = AdminResponse<'operators.list'>['items'][number];

export default function OperatorsPage() {
  const { message } = App.useApp();
  const ref = useRef<ActionType>();
  const [editing, setEditing] = useState<Row | null | undefined>(undefined);
  return (
    <>
      <ProTable<Row>
        rowKey="id"
        actionRef={ref}
        headerTitle="后台账号"
        search={false}
        request={listRequest(listOperators)}
        columns={[
          { title: '账号', dataIndex: 'login' },
          { title: '姓名', dataIndex: 'name' },
          { title: '角色', dataIndex: 'role', render: (_, o) => <Tag color="orange">{ROLE_NAMES[o.role]}</Tag> },
          { title: '状态', dataIndex: 'active', render: (_, o) => (o.active ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>) },
          { title: '锁定至', dataIndex: 'lockedUntil', render: (_, o) => dateTime(o.lockedUntil) },
          { title: '最近登录', dataIndex: 'lastSignInAt', render: (_, o) => dateTime(o.lastSignInAt) },
          { title: '创建时间', dataIndex: 'createdAt', render: (_, o) => dateTime(o.createdAt) },
          { title: '操作', valueType: 'option', render: (_, o) => [<a key="e" onClick={() => setEditing(o)}>编辑</a>] },
        ]}
        toolBarRender={() => [<Button key="n" type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>新建账号</Button>]}
      />
      <ModalForm<{ login?: string; name: string; role: OperatorRole; active: boolean; password?: string }>
        title={editing ? `编辑账号 · ${editing.login}` : '新建账号'}
        open={editing !== undefined}
        modalProps={{ destroyOnHidden: true, onCancel: () => setEditing(undefined) }}
        initialValues={editing ?? { role: 'support', active: true }}
        onFinish={async (v) => {
          try {
            await saveOperator({ ...(editing ? { id: editing.id } : { login: v.login?.trim() }), name: v.name.trim(), role: v.role, active: v.active, ...(v.password ? { password: v.password } : {}) });
            message.success('已保存');
            setEditing(undefined);
            ref.current?.reload();
            return true;
          } catch (e) {
            message.error((e as Error).message);
            return false;
          }
        }}
      >
        {!editing && <ProFormText name="login" label="账号" rules={[{ required: true, message: '请输入账号' }]} />}
        <ProFormText name="name" label="姓名" rules={[{ required: true, message: '请输入姓名' }]} />
        <ProFormSelect name="role" label="角色" options={OPERATOR_ROLES.map((r) => ({ label: ROLE_NAMES[r], value: r }))} rules={[{ required: true }]} />
        <ProFormSwitch name="active" label="启用" />
        <ProFormText.Password name="password" label={editing ? '重置密码（留空不改）' : '初始密码'} rules={editing ? [] : [{ required: true, message: '请输入密码' }, { min: 8, message: '至少 8 位' }]} />
      </ModalForm>
    </>
  );
}
