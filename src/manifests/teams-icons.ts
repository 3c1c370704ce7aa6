import type { Bitmap } from './png';

type Rgba = readonly [number, number, number, number];
const ACCENT: Rgba = [0x2f, 0x6f, 0xed, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

/**
 * A ticket stub (a rectangle with a round notch in each short side, a
 * perforation line near the left) in unit coordinates: true where it is filled.
 */
function inTicket(x: number, y: number, stroke?: number): boolean {
  const [l, r, t, b] = [0.12, 0.88, 0.27, 0.73];
  const notch = 0.1;
  const solid = (px: number, py: number) =>
    px >= l && px <= r && py >= t && py <= b && Math.hypot(px - l, py - 0.5) > notch && Math.hypot(px - r, py - 0.5) > notch;
  if (stroke === undefined) {
    const perforation = Math.abs(x - 0.34) < 0.015 && Math.floor(y * 20) % 2 === 0;
    return solid(x, y) && !perforation;
  }
  // Outline: filled, but not `stroke` inside the edge.
  const inner = [-stroke, 0, stroke].every((dx) => [-stroke, 0, stroke].every((dy) => solid(x + dx, y + dy)));
  return solid(x, y) && !inner;
}

function draw(size: number, pixel: (x: number, y: number) => Rgba): Bitmap {
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) rgba.set(pixel((x + 0.5) / size, (y + 0.5) / size), (y * size + x) * 4);
  }
  return { width: size, height: size, rgba };
}

/** Teams' full-colour icon: 192x192, a white ticket on the accent colour. */
export function colorIcon(): Bitmap {
  return draw(192, (x, y) => (inTicket(x, y) ? WHITE : ACCENT));
}

/** Teams' outline icon: 32x32, white ticket outline on transparent. */
export function outlineIcon(): Bitmap {
  return draw(32, (x, y) => (inTicket(x, y, 2.2 / 32) ? WHITE : CLEAR));
}
