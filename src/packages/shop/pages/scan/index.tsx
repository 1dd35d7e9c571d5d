// 扫一扫: WeChat's scanner (weapp) or a code field (h5, and weapp for a
// code typed by hand). Cashier, product, invite and merchant-invite codes.
import { useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { isH5 } from '@/services/config';
import { BAD_CODE, openScannedCode, scanWithCamera } from '@/services/scan';

export default function ScanPage() {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    const text = code.trim();
    if (!text) {
      setError('请输入或粘贴二维码内容');
      return;
    }
    const ok = await openScannedCode(text);
    setError(ok ? null : BAD_CODE);
  };

  return (
    <View className="page" data-testid="page-scan">
      {!isH5 && (
        <View className="card text-center">
          <View className="muted">扫描收款码、商品码或邀请码</View>
          <View className="btn btn--block mt" onClick={() => void scanWithCamera()} data-testid="scan-camera">
            打开扫一扫
          </View>
        </View>
      )}
      <View className="cell-group">
        <View className="field">
          <Text className="field__label">二维码内容</Text>
          <Input
            className="field__input"
            placeholder="粘贴链接，或输入收款码、邀请码"
            value={code}
            confirmType="go"
            onInput={(e) => {
              setCode(e.detail.value);
              setError(null);
            }}
            onConfirm={() => void submit()}
            data-testid="scan-code"
          />
        </View>
        {error && (
          <View className="field__error" data-testid="scan-code-error">
            {error}
          </View>
        )}
      </View>
      <View className="card muted small">收款码：c=收银台编号；商品码：p=商品编号；邀请码：i=邀请码；商家邀请：m=邀请码。也可粘贴二维码里的完整链接。</View>
      <View className="pad">
        <View className="btn btn--block" onClick={() => void submit()} data-testid="scan-submit">
          打开
        </View>
      </View>
    </View>
  );
}
