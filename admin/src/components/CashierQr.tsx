// A printable cashier QR code: the code of `merchants.cashierCode` drawn on a
// canvas sized for print (1200 × 1500 px ≈ 10 × 12.7 cm at 300 dpi) with the
// store and cashier names under it; download as PNG or print.
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Modal, Skeleton, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { encode } from 'uqr';
import { cashierCode } from '../services/merchants';

export const PRINT_WIDTH = 1200;
export const PRINT_HEIGHT = 1500;

/** PNG data URL of a QR code for `text` with a caption, at print size. */
export function renderPrintableQr(text: string, title: string, subtitle: string): string {
  const qr = encode(text, { ecc: 'M', border: 0 });
  const canvas = document.createElement('canvas');
  canvas.width = PRINT_WIDTH;
  canvas.height = PRINT_HEIGHT;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, PRINT_WIDTH, PRINT_HEIGHT);
  const margin = 120;
  const box = PRINT_WIDTH - margin * 2;
  const cell = Math.floor(box / qr.size);
  const offset = Math.floor((PRINT_WIDTH - cell * qr.size) / 2);
  ctx.fillStyle = '#000';
  qr.data.forEach((row, y) => row.forEach((on, x) => on && ctx.fillRect(offset + x * cell, margin + y * cell, cell, cell)));
  ctx.textAlign = 'center';
  ctx.fillStyle = '#222';
  ctx.font = 'bold 72px sans-serif';
  ctx.fillText(title, PRINT_WIDTH / 2, margin + cell * qr.size + 130);
  ctx.font = '48px sans-serif';
  ctx.fillStyle = '#555';
  ctx.fillText(subtitle, PRINT_WIDTH / 2, margin + cell * qr.size + 210);
  ctx.font = '40px sans-serif';
  ctx.fillStyle = '#fa541c';
  ctx.fillText('微信扫码买单 · 排队返利', PRINT_WIDTH / 2, margin + cell * qr.size + 290);
  return canvas.toDataURL('image/png');
}

export function CashierQrModal({ cashier, storeName, onClose }: { cashier: { id: string; name: string } | null; storeName: string; onClose: () => void }) {
  const code = useQuery({ queryKey: ['cashierCode', cashier?.id], queryFn: () => cashierCode({ cashierId: cashier!.id }), enabled: !!cashier });
  const [png, setPng] = useState<string | null>(null);
  useEffect(() => {
    setPng(code.data && cashier ? renderPrintableQr(code.data.url, storeName, cashier.name) : null);
  }, [code.data, cashier, storeName]);
  const print = () => {
    const w = window.open('', '_blank');
    if (!w || !png) return;
    w.document.write(`<html><head><title>${storeName} ${cashier?.name ?? ''}</title><style>@page{size:auto;margin:10mm}body{margin:0;text-align:center}img{width:100mm}</style></head><body><img src="${png}" onload="window.print()"></body></html>`);
    w.document.close();
  };
  return (
    <Modal open={!!cashier} onCancel={onClose} title={`收银台二维码 · ${cashier?.name ?? ''}`} footer={null} width={520} destroyOnHidden>
      {code.isLoading ? (
        <Skeleton active />
      ) : code.error ? (
        <Alert type="error" showIcon message={(code.error as Error).message} />
      ) : (
        <Space direction="vertical" align="center" style={{ width: '100%' }}>
          {png && <img src={png} alt="收银台二维码" style={{ width: 320, border: '1px solid #f0f0f0' }} data-testid="cashier-qr" data-width={PRINT_WIDTH} />}
          <Typography.Text type="secondary" copyable={{ text: code.data?.url }}>
            {code.data?.url}
          </Typography.Text>
          {code.data?.wxacodeBase64 && (
            <Space direction="vertical" align="center" size={0}>
              <img src={`data:image/png;base64,${code.data.wxacodeBase64}`} alt="小程序码" style={{ width: 140 }} />
              <Typography.Text type="secondary">小程序码（微信返回）</Typography.Text>
            </Space>
          )}
          <Space>
            <Button type="primary" onClick={print} disabled={!png}>
              打印
            </Button>
            <Button href={png ?? undefined} download={`${storeName}-${cashier?.name ?? 'cashier'}.png`} disabled={!png}>
              下载 PNG（10×12.7 cm @300dpi）
            </Button>
          </Space>
        </Space>
      )}
    </Modal>
  );
}
