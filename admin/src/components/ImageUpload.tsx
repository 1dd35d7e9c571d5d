// Image list field: uploads through `uploads.image` (base64 in the JSON body;
// Supabase Storage when deployed, the local stack's storage otherwise) and
// keeps the public URLs as the form value.
import { PlusOutlined } from '@ant-design/icons';
import { App, Upload, type UploadFile } from 'antd';
import { useMemo } from 'react';
import { uploadImage } from '../services/catalog';
import type { AdminRequest } from '../services/contract';

const TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
const MAX_BYTES = 5 * 1024 * 1024;

function toBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^;]+;base64,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

export function ImageUpload({ value, onChange, max = 6, testId }: { value?: string[]; onChange?: (urls: string[]) => void; max?: number; testId?: string }) {
  const { message } = App.useApp();
  const urls = value ?? [];
  const fileList: UploadFile[] = useMemo(() => urls.map((url, i) => ({ uid: `${i}-${url}`, name: url.split('/').pop() ?? 'image', status: 'done', url })), [urls]);
  return (
    <Upload
      listType="picture-card"
      accept={TYPES.join(',')}
      fileList={fileList}
      data-testid={testId}
      beforeUpload={(file) => {
        if (!(TYPES as readonly string[]).includes(file.type)) {
          message.error('仅支持 PNG、JPG、WEBP、GIF 图片');
          return Upload.LIST_IGNORE;
        }
        if (file.size > MAX_BYTES) {
          message.error('图片不能超过 5 MB');
          return Upload.LIST_IGNORE;
        }
        return true;
      }}
      customRequest={async ({ file, onSuccess, onError }) => {
        try {
          const f = file as File;
          const res = await uploadImage({ fileName: f.name, contentType: f.type as AdminRequest<'uploads.image'>['contentType'], dataBase64: await toBase64(f) });
          onChange?.([...urls, res.url]);
          onSuccess?.(res);
        } catch (e) {
          message.error((e as Error).message);
          onError?.(e as Error);
        }
      }}
      onRemove={(f) => {
        onChange?.(urls.filter((u) => u !== f.url));
        return true;
      }}
    >
      {urls.length >= max ? null : (
        <div>
          <PlusOutlined />
          <div style={{ marginTop: 8 }}>上传图片</div>
        </div>
      )}
    </Upload>
  );
}
