import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Raster } from '../../src/analytics/png.ts';
import { salesChart } from '../../src/analytics/sales-chart.ts';

/** Splits a PNG into its chunks, checking every CRC. */
function chunks(png: Buffer): { type: string; data: Buffer }[] {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const out: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < png.length; ) {
    const len = png.readUInt32BE(at);
    const body = png.subarray(at + 4, at + 8 + len);
    expect(png.readUInt32BE(at + 8 + len)).toBe(crc32(body) >>> 0);
    out.push({ type: body.subarray(0, 4).toString('ascii'), data: body.subarray(4) });
    at += 12 + len;
  }
  return out;
}

describe('PNG charts', () => {
  it('encodes a raster any PNG reader can decode, pixel for pixel', () => {
    const r = new Raster(4, 3, [255, 255, 255]);
    r.fill(1, 1, 2, 1, [10, 20, 30]);
    const parts = chunks(r.png());
    expect(parts.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const ihdr = parts[0]?.data ?? Buffer.alloc(0);
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9]]).toEqual([4, 3, 8, 2]);
    const raw = inflateSync(parts[1]?.data ?? Buffer.alloc(0));
    expect(raw.length).toBe((4 * 3 + 1) * 3);
    const pixel = (x: number, y: number) => [...raw.subarray(y * 13 + 1 + x * 3, y * 13 + 4 + x * 3)];
    expect(pixel(0, 0)).toEqual([255, 255, 255]);
    expect(pixel(1, 1)).toEqual([10, 20, 30]);
    expect(pixel(2, 1)).toEqual([10, 20, 30]);
    expect(pixel(3, 1)).toEqual([255, 255, 255]);
  });

  it('draws text from the bitmap font and clips drawing to the image', () => {
    const r = new Raster(20, 10);
    expect(r.text(0, 0, 'A1', [0, 0, 0], 1)).toBe(12);
    r.fill(-5, -1, 100, 2, [1, 2, 3]);
    const raw = inflateSync(chunks(r.png())[1]?.data ?? Buffer.alloc(0));
    // Row 0 is painted over by the clipped fill; row 3 keeps the crossbar of "A".
    expect([...raw.subarray(3 * 61 + 1 + 0 * 3, 3 * 61 + 4)]).toEqual([0, 0, 0]);
    expect([...raw.subarray(0 * 61 + 1, 0 * 61 + 4)]).toEqual([1, 2, 3]);
  });

  it('renders the sales report as a 720×420 chart', () => {
    const png = salesChart({
      storeId: 's',
      period: { days: 7, from: new Date('2026-11-19T00:00:00Z'), to: new Date('2026-11-26T00:00:00Z') },
      funnel: { views: 240, carts: 60, checkouts: 25, paid: 12 },
      ordersPaid: 12,
      revenue: [{ amount: 48_000, currency: 'EUR' }],
      averageOrderValue: [{ amount: 4000, currency: 'EUR' }],
      topProducts: [{ title: 'Classic Hoodie', units: 7, revenue: { amount: 34_300, currency: 'EUR' } }, { title: '咖啡杯', units: 3, revenue: { amount: 3600, currency: 'EUR' } }],
      refunds: { orders: 0, amount: [] },
      topCampaigns: [],
    });
    const ihdr = chunks(png)[0]?.data ?? Buffer.alloc(0);
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4)]).toEqual([720, 420]);
    expect(png.length).toBeLessThan(60_000);
  });
});
