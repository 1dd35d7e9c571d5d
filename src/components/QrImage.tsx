// A QR code: in weapp the server's mini-program code (base64 PNG); in h5 an
// SVG generated on the device from the share URL.
import { Image, View } from '@tarojs/components';
import { renderSVG } from 'uqr';
import { isH5 } from '@/services/config';

export function qrDataUrl(text: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(text, { border: 2 }))}`;
}

export function QrImage({ wxacodeBase64, url, size = 440, testid = 'qr' }: { wxacodeBase64: string | null; url: string; size?: number; testid?: string }) {
  const src = !isH5 && wxacodeBase64 ? `data:image/png;base64,${wxacodeBase64}` : qrDataUrl(url);
  return (
    <View className="row" style={{ justifyContent: 'center' }}>
      <Image src={src} style={{ width: `${size / 2}px`, height: `${size / 2}px` }} data-testid={testid} showMenuByLongpress />
    </View>
  );
}
