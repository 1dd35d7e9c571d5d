// 供应商: list and edit.
import { PlusOutlined } from '@ant-design/icons';
import { ModalForm, ProFormText, ProFormTextArea, ProTable, type ActionType } from '@ant-design/pro-components';
import { App, Button } from 'antd';
import { useRef, useState } from 'react';
import { useAccess } from '../../../auth';
import { listRequest } from '../../../components/table';
import type { Supplier } from '../../../services/contract';
import { listSuppliers, saveSupplier } from '../../../services/merchants';

export default function SuppliersPage() {
  const access = useAccess();
  const { message } = App.useApp();
  const ref = useRef<ActionType>();
  const [editing, setEditing] = useState<Supplier | null | undefined>(undefined);
  return (
    <>
      <ProTable<Supplier>
        rowKey="id"
        actionRef={ref}
        headerTitle="供应商"
        search={false}
        request={listRequest(listSuppliers)}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: 'ID', dataIndex: 'id', copyable: true },
          { title: '联系人', dataIndex: 'contactName' },
          { title: '电话', dataIndex: 'phone' },
          { title: '商品数', dataIndex: 'productCount' },
          { title: '备注', dataIndex: 'note', ellipsis: true },
          { title: '操作', valueType: 'option', render: (_, s) => (access.canEditMerchants ? [<a key="e" onClick={() => setEditing(s)}>编辑</a>] : []) },
        ]}
        toolBarRender={() => [access.canEditMerchants && <Button key="n" type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>新建供应商</Button>]}
      />
      <ModalForm<{ name: string; contactName?: string; phone?: string; note?: string }>
        title={editing ? '编辑供应商' : '新建供应商'}
        open={editing !== undefined}
        modalProps={{ destroyOnHidden: true, onCancel: () => setEditing(undefined) }}
        initialValues={editing ?? {}}
        onFinish={async (v) => {
          try {
            await saveSupplier({ ...(editing ? { id: editing.id } : {}), name: v.name.trim(), contactName: v.contactName ?? '', phone: v.phone ?? '', note: v.note ?? '' });
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
        <ProFormText name="name" label="名称" rules={[{ required: true, message: '请输入名称' }]} />
        <ProFormText name="contactName" label="联系人" />
        <ProFormText name="phone" label="电话" />
        <ProFormTextArea name="note" label="备注" />
      </ModalForm>
    </>
  );
}
