// 供应链批量上架: pick a CSV or Excel file, check every row here (amounts,
// counts, required columns), send the good rows; the server checks them again
// and creates what passes. One report lists every refused row with its field.
import { InboxOutlined } from '@ant-design/icons';
import { ProCard } from '@ant-design/pro-components';
import { Alert, App, Button, Space, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import readXlsxFile from 'read-excel-file';
import { Money } from '../../../components/money';
import { bulkCreateProducts } from '../../../services/catalog';
import type { BulkProductRow } from '../../../services/contract';
import { parseCsv, parseSheet, TEMPLATE_CSV, type ParsedSheet, type SheetError } from './sheet';

export default function ImportPage() {
  const { message } = App.useApp();
  const [file, setFile] = useState<string | null>(null);
  const [parsed, setParsed] = useState<ParsedSheet | null>(null);
  const [report, setReport] = useState<{ created: number; errors: SheetError[] } | null>(null);
  const [busy, setBusy] = useState(false);

  const read = async (f: File) => {
    setReport(null);
    setFile(f.name);
    try {
      const table = /\.xlsx$/i.test(f.name) ? ((await readXlsxFile(f)) as unknown[][]) : parseCsv(await f.text());
      setParsed(parseSheet(table));
    } catch (e) {
      setParsed({ rows: [], sheetRows: [], errors: [{ row: 1, field: 'file', message: `无法读取文件：${(e as Error).message}` }] });
    }
    return false;
  };

  const submit = async () => {
    if (!parsed?.rows.length) return;
    setBusy(true);
    try {
      const res = await bulkCreateProducts({ rows: parsed.rows });
      const serverErrors = res.errors.map((e) => ({ row: parsed.sheetRows[e.row] ?? e.row + 2, field: e.field, message: e.message }));
      setReport({ created: res.created.length, errors: [...parsed.errors, ...serverErrors].sort((a, b) => a.row - b.row) });
      message.success(`已上架 ${res.created.length} 个商品`);
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const errors = report?.errors ?? parsed?.errors ?? [];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <ProCard title="上传文件" extra={<a href={`data:text/csv;charset=utf-8,${encodeURIComponent('\uFEFF' + TEMPLATE_CSV)}`} download="供应链商品模板.csv">下载模板</a>}>
        <Upload.Dragger accept=".csv,.xlsx" showUploadList={false} beforeUpload={read} data-testid="import-file">
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">点击或拖拽 CSV / Excel (.xlsx) 文件到此处</p>
          <p className="ant-upload-hint">列：商品名称、售价(元)、供货价(元)、库存、供应商ID、分类ID、划线价(元)、图片、详情；一次最多 500 行</p>
        </Upload.Dragger>
      </ProCard>
      {parsed && (
        <ProCard
          title={`${file ?? ''}：可导入 ${parsed.rows.length} 行`}
          extra={
            <Button type="primary" disabled={!parsed.rows.length || !!report} loading={busy} onClick={submit} data-testid="import-submit">
              确认上架
            </Button>
          }
        >
          {report && <Alert type={report.errors.length ? 'warning' : 'success'} showIcon message={`已上架 ${report.created} 个商品，${report.errors.length} 行未通过`} style={{ marginBottom: 16 }} data-testid="import-result" />}
          <Table<BulkProductRow & { sheetRow: number }>
            size="small"
            rowKey="sheetRow"
            pagination={{ pageSize: 10 }}
            dataSource={parsed.rows.map((r, i) => ({ ...r, sheetRow: parsed.sheetRows[i] }))}
            columns={[
              { title: '行', dataIndex: 'sheetRow', width: 60 },
              { title: '商品名称', dataIndex: 'title' },
              { title: '售价', dataIndex: 'price', render: (v) => <Money fen={v} /> },
              { title: '供货价', dataIndex: 'cost', render: (v) => <Money fen={v} /> },
              { title: '库存', dataIndex: 'stock' },
              { title: '供应商', dataIndex: 'supplierId' },
            ]}
          />
        </ProCard>
      )}
      {errors.length > 0 && (
        <ProCard title={<Typography.Text type="danger">未通过的行（{errors.length}）</Typography.Text>}>
          <Table<SheetError>
            size="small"
            rowKey={(e) => `${e.row}-${e.field}-${e.message}`}
            dataSource={errors}
            pagination={{ pageSize: 20 }}
            data-testid="import-errors"
            columns={[
              { title: '行', dataIndex: 'row', width: 60 },
              { title: '字段', dataIndex: 'field', width: 140, render: (v) => <Tag color="red">{v}</Tag> },
              { title: '原因', dataIndex: 'message' },
            ]}
          />
        </ProCard>
      )}
    </Space>
  );
}
