// 商品分类: list, create / edit in a modal, delete (refused by the server while products use it).
import { PlusOutlined } from '@ant-design/icons';
import { ModalForm, ProFormDigit, ProFormSelect, ProFormText, ProTable, type ActionType } from '@ant-design/pro-components';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Popconfirm } from 'antd';
import { useRef, useState } from 'react';
import { useAccess } from '../../../auth';
import { listRequest } from '../../../components/table';
import { deleteCategory, listCategories, saveCategory } from '../../../services/catalog';
import type { AdminCategory } from '../../../services/contract';

export default function CategoriesPage() {
  const access = useAccess();
  const { message } = App.useApp();
  const ref = useRef<ActionType>();
  const [editing, setEditing] = useState<AdminCategory | null | undefined>(undefined);
  const all = useQuery({ queryKey: ['categories'], queryFn: listCategories });
  return (
    <>
      <ProTable<AdminCategory>
        rowKey="id"
        actionRef={ref}
        headerTitle="商品分类"
        search={false}
        request={listRequest(listCategories)}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: 'ID', dataIndex: 'id' },
          { title: '上级分类', dataIndex: 'parentId', render: (_, c) => all.data?.items.find((x) => x.id === c.parentId)?.name ?? '-' },
          { title: '排序', dataIndex: 'sort' },
          { title: '商品数', dataIndex: 'productCount' },
          {
            title: '操作',
            valueType: 'option',
            render: (_, c) =>
              access.canEditCatalog
                ? [
                    <a key="e" onClick={() => setEditing(c)}>编辑</a>,
                    <Popconfirm
                      key="d"
                      title={`删除分类「${c.name}」？`}
                      onConfirm={async () => {
                        try {
                          await deleteCategory({ id: c.id });
                          message.success('已删除');
                          ref.current?.reload();
                        } catch (e) {
                          message.error((e as Error).message);
                        }
                      }}
                    >
                      <a>删除</a>
                    </Popconfirm>,
                  ]
                : [],
          },
        ]}
        toolBarRender={() => [
          access.canEditCatalog && (
            <Button key="n" type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>
              新建分类
            </Button>
          ),
        ]}
      />
      <ModalForm<{ name: string; icon?: string; parentId?: string; sort?: number }>
        title={editing ? '编辑分类' : '新建分类'}
        open={editing !== undefined}
        modalProps={{ destroyOnHidden: true, onCancel: () => setEditing(undefined) }}
        initialValues={editing ?? { sort: 0 }}
        onFinish={async (v) => {
          try {
            await saveCategory({ ...(editing ? { id: editing.id } : {}), name: v.name.trim(), icon: v.icon || null, parentId: v.parentId || null, sort: v.sort ?? 0 });
            message.success('已保存');
            setEditing(undefined);
            ref.current?.reload();
            all.refetch();
            return true;
          } catch (e) {
            message.error((e as Error).message);
            return false;
          }
        }}
      >
        <ProFormText name="name" label="名称" rules={[{ required: true, message: '请输入名称' }, { max: 20, message: '最多 20 个字' }]} />
        <ProFormSelect name="parentId" label="上级分类" options={(all.data?.items ?? []).filter((c) => c.id !== editing?.id).map((c) => ({ label: c.name, value: c.id }))} allowClear />
        <ProFormText name="icon" label="图标 URL" />
        <ProFormDigit name="sort" label="排序" fieldProps={{ precision: 0 }} />
      </ModalForm>
    </>
  );
}
