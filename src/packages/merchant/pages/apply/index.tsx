import { useState } from 'react';
import { Input, Text, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { callApi, errorText, ApiError } from '@/services/api';
import type { MerchantApplication } from '@contract';
import { recruiterSceneFrom } from '@/utils/scene';

type Field = keyof MerchantApplication;

const FIELDS: { key: Exclude<Field, 'intro'>; label: string; placeholder: string; type?: 'number' | 'text' }[] = [
  { key: 'storeName', label: '门店名称', placeholder: '如：幸福便利店（城东店）' },
  { key: 'category', label: '经营类目', placeholder: '如：便利店、餐饮' },
  { key: 'contactName', label: '联系人', placeholder: '真实姓名' },
  { key: 'phone', label: '手机号', placeholder: '11 位手机号', type: 'number' },
  { key: 'address', label: '门店地址', placeholder: '省市区 + 详细地址' },
  { key: 'licenseNo', label: '营业执照号', placeholder: '统一社会信用代码' },
];

/** Client-side checks before the server's (which names the field again). */
export function validateApplication(a: MerchantApplication): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  if (!a.storeName.trim()) errors.storeName = '请填写门店名称';
  if (!a.category.trim()) errors.category = '请填写经营类目';
  if (!a.contactName.trim()) errors.contactName = '请填写联系人';
  if (!/^1\d{10}$/.test(a.phone.trim())) errors.phone = '请填写正确的手机号';
  if (!a.address.trim()) errors.address = '请填写门店地址';
  if (!/^[0-9A-Z]{15,18}$/i.test(a.licenseNo.trim())) errors.licenseNo = '请填写 15~18 位营业执照号';
  return errors;
}

export default function ApplyPage() {
  // Opened from a promoter's merchant invite (scene m=<code>, or recruiter=<code> from 扫一扫): the recruiter is bound with the application.
  const { params } = useRouter();
  const recruiterScene = recruiterSceneFrom(params);
  const [form, setForm] = useState<MerchantApplication>({ storeName: '', contactName: '', phone: '', address: '', category: '', licenseNo: '', intro: '' });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  /** A server error that names no field of this form (or none): shown above the button, not under some field. */
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: Field, v: string) => {
    setForm((f) => ({ ...f, [k]: v }));
    setErrors((e) => ({ ...e, [k]: undefined }));
  };

  const submit = async () => {
    if (busy) return;
    const found = validateApplication(form);
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const trimmed = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v.trim()])) as unknown as MerchantApplication;
      await callApi('merchant.apply', recruiterScene ? { ...trimmed, recruiterScene } : trimmed);
      void Taro.showToast({ title: '已提交，等待审核', icon: 'success' });
      setTimeout(() => void Taro.navigateBack(), 800);
    } catch (e) {
      // Only the field the server named, under that field; anything else under the form.
      if (e instanceof ApiError && e.field && Object.prototype.hasOwnProperty.call(form, e.field)) setErrors({ [e.field as Field]: e.message });
      else setFormError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="page" data-testid="page-merchant-apply">
      {recruiterScene && (
        <View className="card notice notice--info" data-testid="apply-recruiter">
          你正通过推广员的邀请申请入驻（邀请码 {recruiterScene.replace(/^i=/, '')}）
        </View>
      )}
      <View className="cell-group">
        {FIELDS.map((f) => (
          <View key={f.key}>
            <View className="field">
              <Text className="field__label">{f.label}</Text>
              <Input
                className="field__input"
                type={f.type === 'number' ? 'number' : 'text'}
                placeholder={f.placeholder}
                value={form[f.key]}
                onInput={(e) => set(f.key, e.detail.value)}
                data-testid={`apply-${f.key}`}
              />
            </View>
            {errors[f.key] && (
              <View className="field__error" data-testid={`apply-${f.key}-error`}>
                {errors[f.key]}
              </View>
            )}
          </View>
        ))}
      </View>
      <View className="card">
        <Textarea className="textarea" placeholder="门店简介（选填）" value={form.intro} maxlength={500} onInput={(e) => set('intro', e.detail.value)} data-testid="apply-intro" />
        {errors.intro && (
          <View className="field__error" data-testid="apply-intro-error">
            {errors.intro}
          </View>
        )}
      </View>
      <View className="card muted">提交后客服将与你联系，协商折扣与平台服务费；审核结果通过消息通知。</View>
      <View className="pad">
        {formError && (
          <View className="field__error" data-testid="apply-form-error">
            {formError}
          </View>
        )}
        <View className={`btn btn--block ${busy ? 'btn--disabled' : ''}`} onClick={submit} data-testid="apply-submit">
          {busy ? '提交中…' : '提交申请'}
        </View>
      </View>
    </View>
  );
}
