// Draws media/icon.png (128x128, the Marketplace icon) with Node built-ins only:
// shapes as distance functions, 4x4 supersampling for smooth edges, zlib for the PNG.
//   node media/make-icon.js
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const SIZE = 128;
const SAMPLES = 4;

// Distance from (x, y) to the segment (ax, ay)-(bx, by).
function segment(x, y, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy);
}

// Signed distance to a rounded square centred in the icon (negative inside).
function roundedSquare(x, y, half, radius) {
  const qx = Math.abs(x - SIZE / 2) - half + radius, qy = Math.abs(y - SIZE / 2) - half + radius;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

// Layers from back to front: [inside(x, y), [r, g, b, a]].
const lens = { x: 78, y: 74, r: 27 };
const layers = [
  [(x, y) => roundedSquare(x, y, 62, 22) < 0, [24, 38, 58, 255]],
  // Log lines; the fourth is the matched event.
  ...[[24, 30, 92], [24, 44, 72], [24, 58, 50], [24, 72, 44], [24, 86, 40], [24, 100, 48]].map(([x0, y0, len], i) => [
    (x, y) => segment(x, y, x0, y0, x0 + len, y0) < 3.5,
    i === 3 ? [255, 176, 46, 255] : [150, 170, 196, 255],
  ]),
  [(x, y) => Math.hypot(x - lens.x, y - lens.y) < lens.r, [24, 38, 58, 170]],
  [(x, y) => Math.abs(Math.hypot(x - lens.x, y - lens.y) - lens.r) < 4.5, [240, 244, 250, 255]],
  [(x, y) => segment(x, y, 98, 94, 111, 107) < 6.5, [240, 244, 250, 255]],
];

function pixel(px, py) {
  const acc = [0, 0, 0, 0];
  for (let sy = 0; sy < SAMPLES; sy++) {
    for (let sx = 0; sx < SAMPLES; sx++) {
      const x = px + (sx + 0.5) / SAMPLES, y = py + (sy + 0.5) / SAMPLES;
      let rgb = [0, 0, 0], alpha = 0;
      for (const [inside, [r, g, b, a]] of layers) {
        if (!inside(x, y)) continue;
        const k = a / 255;
        rgb = [rgb[0] * (1 - k) + r * k, rgb[1] * (1 - k) + g * k, rgb[2] * (1 - k) + b * k];
        alpha = alpha + k * (1 - alpha);
      }
      // Premultiplied sums, so edge pixels do not darken.
      acc[0] += rgb[0] * alpha; acc[1] += rgb[1] * alpha; acc[2] += rgb[2] * alpha; acc[3] += alpha;
    }
  }
  const n = SAMPLES * SAMPLES;
  if (acc[3] === 0) return [0, 0, 0, 0];
  return [acc[0] / acc[3], acc[1] / acc[3], acc[2] / acc[3], (acc[3] / n) * 255].map((v) => Math.round(v));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  raw[y * (SIZE * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) Buffer.from(pixel(x, y)).copy(raw, y * (SIZE * 4 + 1) + 1 + x * 4);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
fs.writeFileSync(path.join(__dirname, 'icon.png'), png);
console.log(`wrote media/icon.png (${png.length} bytes)`);
