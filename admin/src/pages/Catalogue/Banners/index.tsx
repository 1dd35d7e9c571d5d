// 首页轮播与公告: the banners (image, title, link) and the notice of the shop's home page.
import { ProForm, ProFormList, ProFormText, ProFormTextArea, ProCard } from '@ant-design/pro-components';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Skeleton } from 'antd';
import { useAccess } from '../../../auth';
import { ImageUpload } from '../../../components/ImageUpload';
import { getHome, saveHome } from '../../../services/catalog';
import type { Banner } from '../../../services/contract';

interface HomeForm {
  notice: string;
  banners: (Omit<Banner, 'image'> & { image: string[] })[];
}

export default function BannersPage() {
  const access = useAccess();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const home = useQuery({ queryKey: ['home'], queryFn: getHome });
  if (home.isLoading) return <Skeleton active />;
  if (home.error || !home.data) return <Alert type="error" showIcon message={(home.error as Error)?.message ?? '加载失败'} />;
  const initial: HomeForm = { notice: home.data.notice ?? '', banners: home.data.banners.map((b) => ({ ...b, image: b.image ? [b.image] : [] })) };
  return (
    <ProCard>
      <ProForm<HomeForm>
        initialValues={initial}
        disabled={!access.canEditCatalog}
        submitter={access.canEditCatalog ? { searchConfig: { submitText: '保存' } } : false}
        onFinish={async (v) => {
          try {
            const banners: Banner[] = (v.banners ?? []).map((b, i) => ({ id: b.id || `banner-${Date.now().toString(36)}-${i}`, image: b.image?.[0] ?? '', title: b.title ?? '', link: b.link || null }));
            const res = await saveHome({ banners, notice: v.notice?.trim() ? v.notice.trim() : null });
            qc.setQueryData(['home'], res);
            message.success('首页内容已保存');
            return true;
          } catch (e) {
            message.error((e as Error).message);
            return false;
          }
        }}
      >
        <ProFormTextArea name="notice" label="首页公告" fieldProps={{ rows: 2, maxLength: 200, showCount: true }} />
        <ProFormList name="banners" label="轮播图" creatorButtonProps={{ creatorButtonText: '添加轮播图' }} copyIconProps={false} itemRender={({ listDom, action }) => <ProCard bordered size="small" style={{ marginBottom: 8 }} extra={action}>{listDom}</ProCard>}>
          <Form.Item name="image" label="图片" rules={[{ validator: async (_, v) => { if (!v?.length) throw new Error('请上传图片'); } }]}>
            <ImageUpload max={1} />
          </Form.Item>
          <ProFormText name="title" label="标题" width="md" />
          <ProFormText name="link" label="跳转链接" width="lg" placeholder="如 /packages/shop/pages/product/index?id=p-rice" />
        </ProFormList>
      </ProForm>
    </ProCard>
  );
}
