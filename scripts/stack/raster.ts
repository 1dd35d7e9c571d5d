// A tiny anti-aliased rasteriser (filled shapes, gradients) and an RGB PNG
// encoder: enough to draw the demo catalogue's illustrations without an
// image library. Shapes are inside-tests sampled 3×3 per pixel.
import { deflateSync } from 'node:zlib';
import { PNG_SIGNATURE } from '../wechat-sandbox/png.ts';

export type Rgb = readonly [number, number, number];
/** A flat colour or a colour per point (gradients). */
export type Paint = Rgb | ((x: number, y: number) => Rgb);

export interface Shape {
  /** Bounding box: x0, y0, x1, y1. */
  box: [number, number, number, number];
  inside(x: number, y: number): boolean;
}

const SS = 3;

export function hex(h: string): Rgb {
  const n = parseInt(h.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  const k = Math.max(0, Math.min(1, t));
  return [a[0] + (b[0] - a[0]) * k, a[1] + (b[1] - a[1]) * k, a[2] + (b[2] - a[2]) * k];
}

/** Linear gradient from (x0,y0) colour a to (x1,y1) colour b. */
export function linear(x0: number, y0: number, x1: number, y1: number, a: string, b: string): Paint {
  const ca = hex(a);
  const cb = hex(b);
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len2 = dx * dx + dy * dy || 1;
  return (x, y) => mix(ca, cb, ((x - x0) * dx + (y - y0) * dy) / len2);
}

/** Radial gradient: colour a at (cx,cy), b at radius r. */
export function radial(cx: number, cy: number, r: number, a: string, b: string): Paint {
  const ca = hex(a);
  const cb = hex(b);
  return (x, y) => mix(ca, cb, Math.hypot(x - cx, y - cy) / r);
}

export const rect = (x: number, y: number, w: number, h: number, r = 0): Shape => ({
  box: [x, y, x + w, y + h],
  inside(px, py) {
    if (px < x || py < y || px > x + w || py > y + h) return false;
    if (r <= 0) return true;
    const cx = Math.min(Math.max(px, x + r), x + w - r);
    const cy = Math.min(Math.max(py, y + r), y + h - r);
    return (px - cx) ** 2 + (py - cy) ** 2 <= r * r;
  },
});

/** Ellipse centred at (cx,cy), radii rx, ry, rotated by `angle` radians. */
export const ellipse = (cx: number, cy: number, rx: number, ry: number, angle = 0): Shape => {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const m = Math.max(rx, ry);
  return {
    box: [cx - m, cy - m, cx + m, cy + m],
    inside(px, py) {
      const dx = px - cx;
      const dy = py - cy;
      const u = dx * c + dy * s;
      const v = -dx * s + dy * c;
      return (u * u) / (rx * rx) + (v * v) / (ry * ry) <= 1;
    },
  };
};

export const circle = (cx: number, cy: number, r: number): Shape => ellipse(cx, cy, r, r);

/** Ring between radii r0 and r1, optionally only the angles a0..a1 (radians, y down). */
export const ring = (cx: number, cy: number, r0: number, r1: number, a0 = -Math.PI, a1 = Math.PI): Shape => ({
  box: [cx - r1, cy - r1, cx + r1, cy + r1],
  inside(px, py) {
    const d = Math.hypot(px - cx, py - cy);
    if (d < r0 || d > r1) return false;
    const a = Math.atan2(py - cy, px - cx);
    return a >= a0 && a <= a1;
  },
});

/** A thick line with round ends. */
export const line = (x0: number, y0: number, x1: number, y1: number, width: number): Shape => {
  const r = width / 2;
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len2 = dx * dx + dy * dy || 1;
  return {
    box: [Math.min(x0, x1) - r, Math.min(y0, y1) - r, Math.max(x0, x1) + r, Math.max(y0, y1) + r],
    inside(px, py) {
      const t = Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / len2));
      return (px - x0 - t * dx) ** 2 + (py - y0 - t * dy) ** 2 <= r * r;
    },
  };
};

/** A polygon (even-odd rule). */
export const polygon = (pts: readonly (readonly [number, number])[]): Shape => {
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return {
    box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
    inside(px, py) {
      let inside = false;
      for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
        const [xi, yi] = pts[i];
        const [xj, yj] = pts[j];
        if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
      }
      return inside;
    },
  };
};

/** Points of a regular polygon (hexagons, stars with `inner`). */
export function star(cx: number, cy: number, r: number, n: number, inner = r, rot = -Math.PI / 2): [number, number][] {
  const out: [number, number][] = [];
  const k = inner === r ? n : n * 2;
  for (let i = 0; i < k; i++) {
    const rr = inner === r || i % 2 === 0 ? r : inner;
    const a = rot + (i * 2 * Math.PI) / k;
    out.push([cx + rr * Math.cos(a), cy + rr * Math.sin(a)]);
  }
  return out;
}

export class Canvas {
  readonly px: Float32Array;
  constructor(
    readonly width: number,
    readonly height: number,
    background: Paint,
  ) {
    this.px = new Float32Array(width * height * 3);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const c = typeof background === 'function' ? background(x + 0.5, y + 0.5) : background;
        this.px.set(c, (y * width + x) * 3);
      }
  }

  fill(shape: Shape, paint: Paint, alpha = 1): this {
    const [bx0, by0, bx1, by1] = shape.box;
    const x0 = Math.max(0, Math.floor(bx0));
    const y0 = Math.max(0, Math.floor(by0));
    const x1 = Math.min(this.width - 1, Math.ceil(bx1));
    const y1 = Math.min(this.height - 1, Math.ceil(by1));
    for (let y = y0; y <= y1; y++)
      for (let x = x0; x <= x1; x++) {
        let hits = 0;
        for (let sy = 0; sy < SS; sy++) for (let sx = 0; sx < SS; sx++) if (shape.inside(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS)) hits++;
        if (hits === 0) continue;
        const a = (alpha * hits) / (SS * SS);
        const c = typeof paint === 'function' ? paint(x + 0.5, y + 0.5) : paint;
        const i = (y * this.width + x) * 3;
        for (let k = 0; k < 3; k++) this.px[i + k] += (c[k] - this.px[i + k]) * a;
      }
    return this;
  }

  png(): Buffer {
    return encodeRgbPng(this.width, this.height, this.px);
  }
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  let c = 0xffffffff;
  for (const b of body) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE((c ^ 0xffffffff) >>> 0, 8 + data.length);
  return out;
}

/** 8-bit RGB PNG (filter "up" per row: flat illustrations compress well). */
export function encodeRgbPng(width: number, height: number, px: Float32Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2; // truecolour
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
  const row = new Uint8Array(stride);
  const prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < stride; i++) row[i] = Math.max(0, Math.min(255, Math.round(px[y * stride + i])));
    raw[y * (stride + 1)] = 2; // up
    for (let i = 0; i < stride; i++) raw[y * (stride + 1) + 1 + i] = (row[i] - prev[i]) & 255;
    prev.set(row);
  }
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}
