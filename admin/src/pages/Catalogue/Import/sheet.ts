// 供应链批量上架: a CSV or Excel sheet → BulkProductRow[] (amounts in yuan on
// the sheet, fen in the request). Pure; tested in test/components/admin-*.test.ts.
import type { BulkProductRow } from '../../../services/contract';
import { yuanToFen } from '../../../components/money';

/** Sheet header → row field. Chinese headers as operators write them; the field names work too. */
export const COLUMNS: { field: keyof BulkProductRow; headers: string[]; kind: 'text' | 'yuan' | 'count'; required: boolean }[] = [
  { field: 'title', headers: ['商品名称', 'title'], kind: 'text', required: true },
  { field: 'price', headers: ['售价', '售价(元)', '售价（元）', 'price'], kind: 'yuan', required: true },
  { field: 'cost', headers: ['供货价', '供货价(元)', '供货价（元）', 'cost'], kind: 'yuan', required: true },
  { field: 'stock', headers: ['库存', 'stock'], kind: 'count', required: true },
  { field: 'supplierId', headers: ['供应商ID', '供应商', 'supplierId'], kind: 'text', required: false },
  { field: 'categoryId', headers: ['分类ID', '分类', 'categoryId'], kind: 'text', required: false },
  { field: 'marketPrice', headers: ['划线价', '划线价(元)', '划线价（元）', 'marketPrice'], kind: 'yuan', required: false },
  { field: 'image', headers: ['图片', '图片URL', 'image'], kind: 'text', required: false },
  { field: 'description', headers: ['详情', '商品详情', 'description'], kind: 'text', required: false },
];

export const TEMPLATE_CSV = '商品名称,售价(元),供货价(元),库存,供应商ID,分类ID,划线价(元),图片,详情\n有机小米 2kg,39.90,25.00,500,,,49.00,,产地直供\n';

export interface SheetError {
  /** Sheet row number (1 = the header). */
  row: number;
  field: string;
  message: string;
}

export interface ParsedSheet {
  rows: BulkProductRow[];
  /** sheet row number of rows[i]. */
  sheetRows: number[];
  errors: SheetError[];
}

/** Minimal RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF; a BOM is dropped. */
export function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(cell);
      out.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    out.push(row);
  }
  return out.filter((r) => r.some((c) => c.trim() !== ''));
}

export function parseSheet(table: unknown[][]): ParsedSheet {
  const result: ParsedSheet = { rows: [], sheetRows: [], errors: [] };
  if (table.length === 0) {
    result.errors.push({ row: 1, field: 'header', message: '文件为空' });
    return result;
  }
  const header = table[0].map((h) => String(h ?? '').trim());
  const index = new Map<string, number>();
  for (const col of COLUMNS) {
    const i = header.findIndex((h) => col.headers.includes(h));
    if (i >= 0) index.set(col.field, i);
    else if (col.required) result.errors.push({ row: 1, field: col.field, message: `缺少「${col.headers[0]}」列` });
  }
  if (result.errors.length) return result;
  table.slice(1).forEach((cells, k) => {
    const sheetRow = k + 2;
    const row: Record<string, unknown> = {};
    let ok = true;
    for (const col of COLUMNS) {
      const i = index.get(col.field);
      const raw = i === undefined ? '' : cells[i];
      const text = raw === null || raw === undefined ? '' : String(raw).trim();
      if (text === '') {
        if (col.required) {
          result.errors.push({ row: sheetRow, field: col.field, message: `「${col.headers[0]}」不能为空` });
          ok = false;
        }
        continue;
      }
      if (col.kind === 'yuan') {
        const fen = yuanToFen(typeof raw === 'number' ? raw.toFixed(2) : text);
        if (fen === null) {
          result.errors.push({ row: sheetRow, field: col.field, message: `「${col.headers[0]}」须为金额（元，最多两位小数）：${text}` });
          ok = false;
        } else row[col.field] = fen;
      } else if (col.kind === 'count') {
        if (!/^\d{1,9}$/.test(text)) {
          result.errors.push({ row: sheetRow, field: col.field, message: `「${col.headers[0]}」须为非负整数：${text}` });
          ok = false;
        } else row[col.field] = Number(text);
      } else row[col.field] = text;
    }
    if (ok) {
      result.rows.push(row as unknown as BulkProductRow);
      result.sheetRows.push(sheetRow);
    }
  });
  return result;
}
