// A minimal PNG encoder (grayscale, 8-bit) so the sandbox can answer
// getwxacodeunlimit with a real image without an image library.
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** pixel(x, y) → 0 (black) .. 255 (white). */
export function encodeGrayPng(width: number, height: number, pixel: (x: number, y: number) => number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0; // filter: none
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = pixel(x, y);
  }
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * A code-like picture derived from the scene: a 21×21 module grid with three
 * finder squares, the rest set from a hash of the scene. Not scannable; it
 * only has to be a distinct, valid PNG per scene.
 */
export function sceneCodePng(seed: Uint8Array, width: number): Buffer {
  const modules = 21;
  const scale = Math.max(1, Math.floor(width / (modules + 2)));
  const size = scale * (modules + 2);
  const bit = (i: number) => (seed[(i >> 3) % seed.length] >> (i & 7)) & 1;
  const finder = (mx: number, my: number) => {
    for (const [ox, oy] of [[0, 0], [modules - 7, 0], [0, modules - 7]]) {
      const dx = mx - ox;
      const dy = my - oy;
      if (dx >= 0 && dx < 7 && dy >= 0 && dy < 7) {
        const ring = Math.max(Math.abs(dx - 3), Math.abs(dy - 3));
        return ring === 2 ? 0 : 1;
      }
    }
    return -1;
  };
  return encodeGrayPng(size, size, (x, y) => {
    const mx = Math.floor(x / scale) - 1;
    const my = Math.floor(y / scale) - 1;
    if (mx < 0 || my < 0 || mx >= modules || my >= modules) return 255;
    const f = finder(mx, my);
    const dark = f >= 0 ? f : bit(my * modules + mx) ^ ((mx + my) & 1);
    return dark ? 0 : 255;
  });
}
