// Draws the app icon (build/icon.png, 512×512) with Node alone: a navy rounded square, a pale
// shield and a check mark, 4×4 supersampled. electron-builder turns it into .ico / Linux icons.
// Run: node build/make-icon.mjs
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const SIZE = 512;
const SS = 4;
const NAVY = [29, 53, 87];
const SHIELD = [169, 199, 236];
const CHECK = [29, 53, 87];

function insideRoundedSquare(x, y) {
  const r = 0.18, m = 0.03;
  const cx = Math.min(Math.max(x, m + r), 1 - m - r);
  const cy = Math.min(Math.max(y, m + r), 1 - m - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= m && x <= 1 - m && y >= m && y <= 1 - m;
}

function insideShield(x, y) {
  // the header's mark: a point at the top centre, sloping shoulders, straight sides, a rounded tip
  const top = 0.15, shoulder = 0.25, waist = 0.5, tip = 0.87, half = 0.29;
  const dx = Math.abs(x - 0.5);
  if (dx > half || y > tip) return false;
  if (y < top + ((shoulder - top) * dx) / half) return false;
  if (y <= waist) return true;
  const t = (y - waist) / (tip - waist);
  return dx <= half * Math.sqrt(Math.max(0, 1 - t * t));
}

function distToSegment(px, py, ax, ay, bx, by) {
  const vx = bx - ax, vy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy)));
  return Math.hypot(px - (ax + t * vx), py - (ay + t * vy));
}

function onCheck(x, y) {
  const w = 0.045;
  return distToSegment(x, y, 0.36, 0.5, 0.46, 0.6) <= w || distToSegment(x, y, 0.46, 0.6, 0.65, 0.4) <= w;
}

const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
for (let py = 0; py < SIZE; py++) {
  raw[py * (SIZE * 4 + 1)] = 0; // filter: none
  for (let px = 0; px < SIZE; px++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const x = (px + (sx + 0.5) / SS) / SIZE;
        const y = (py + (sy + 0.5) / SS) / SIZE;
        if (!insideRoundedSquare(x, y)) continue;
        const c = insideShield(x, y) ? (onCheck(x, y) ? CHECK : SHIELD) : NAVY;
        r += c[0]; g += c[1]; b += c[2]; a += 255;
      }
    }
    const n = SS * SS;
    const o = py * (SIZE * 4 + 1) + 1 + px * 4;
    const cover = a / 255;
    raw[o] = cover ? Math.round(r / cover) : 0;
    raw[o + 1] = cover ? Math.round(g / cover) : 0;
    raw[o + 2] = cover ? Math.round(b / cover) : 0;
    raw[o + 3] = Math.round(a / n);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = path.join(path.dirname(new URL(import.meta.url).pathname), 'icon.png');
fs.writeFileSync(out, png);
console.error(`wrote ${out} (${png.length} bytes)`);
