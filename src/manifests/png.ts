import { crc32, deflateSync } from 'node:zlib';

/** RGBA pixels, row by row. */
export interface Bitmap {
  width: number;
  height: number;
  rgba: Buffer;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** The scanlines PNG compresses: each row prefixed with filter type 0 (none). */
export function scanlines(bitmap: Bitmap): Buffer {
  const row = bitmap.width * 4;
  const out = Buffer.alloc((row + 1) * bitmap.height);
  for (let y = 0; y < bitmap.height; y++) bitmap.rgba.copy(out, y * (row + 1) + 1, y * row, (y + 1) * row);
  return out;
}

/** A truecolour-with-alpha PNG (8 bits per channel). */
export function encodePng(bitmap: Bitmap): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(bitmap.width, 0);
  ihdr.writeUInt32BE(bitmap.height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA, deflate, filter 0, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(scanlines(bitmap), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
