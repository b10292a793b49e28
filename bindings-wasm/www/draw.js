// Colour images of records: missing points transparent, and the colour bar.
import { colour } from './colormap.js';

const NOT_DRAWN = new Set(['c64', 'c128', 'char', 'word']);

/** Markers librmn writes for missing points of +64 integer records (read with 'nan'). */
function integerMarker(dtype) {
  return { i8: -128, i16: -32768, i32: -2147483648, u8: 255, u16: 65535, u32: 4294967295 }[dtype];
}

/**
 * Draws plane `k` (0-based) of a decoded record on `canvas`, north (last row) up; missing
 * points (+64 records, decoded with `missing: 'nan'`) are transparent and left out of
 * min/max. Returns `{ min, max, missing, values, ni, nj }` or null if nothing can be drawn.
 */
export function drawRecord(canvas, array, rec, k) {
  if (NOT_DRAWN.has(array.dtype)) return null;
  const { ni, nj } = rec;
  const n = ni * nj;
  const marker = rec.missing ? integerMarker(array.dtype) : undefined;
  const values = new Float64Array(n);
  let lo = Infinity;
  let hi = -Infinity;
  let missing = 0;
  for (let p = 0; p < n; p += 1) {
    let v = Number(array.data[k * n + p]);
    if (!Number.isFinite(v) || v === marker) {
      v = NaN;
      missing += 1;
    } else {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    values[p] = v;
  }
  if (lo > hi) return null;
  canvas.width = ni;
  canvas.height = nj;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(ni, nj);
  const span = hi > lo ? hi - lo : 1;
  for (let j = 0; j < nj; j += 1) {
    for (let i = 0; i < ni; i += 1) {
      const v = values[j * ni + i];
      const q = ((nj - 1 - j) * ni + i) * 4;
      if (Number.isNaN(v)) continue; // transparent: createImageData starts at 0, 0, 0, 0
      const [r, g, b] = colour((v - lo) / span);
      image.data[q] = r;
      image.data[q + 1] = g;
      image.data[q + 2] = b;
      image.data[q + 3] = 255;
    }
  }
  ctx.putImageData(image, 0, 0);
  return { min: lo, max: hi, missing, values, ni, nj };
}

/** The colour scale from min (left) to max (right). */
export function drawColourBar(canvas) {
  const ctx = canvas.getContext('2d');
  for (let x = 0; x < canvas.width; x += 1) {
    const [r, g, b] = colour(x / (canvas.width - 1));
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect(x, 0, 1, canvas.height);
  }
}
