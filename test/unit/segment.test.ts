import { describe, expect, it } from 'vitest';
import { describeSegment, parseSegment } from '../../src/marketing/segment.ts';

const eur = (amount: number) => `${(amount / 100).toFixed(2)} EUR`;

describe('broadcast segments', () => {
  it('reads the rules a seller types, all of which must hold', () => {
    expect(parseSegment('all', 2)).toEqual({ ok: true, segment: { rules: [] } });
    expect(parseSegment('telegram bought:classic-hoodie spent>49.90 inactive:30 tag:vip category:drinkware', 2)).toEqual({
      ok: true,
      segment: {
        rules: [
          { kind: 'channel', channel: 'telegram' },
          { kind: 'bought_product', product: 'classic-hoodie' },
          { kind: 'spent_over', amount: 4990 },
          { kind: 'inactive_days', days: 30 },
          { kind: 'tag', tag: 'vip' },
          { kind: 'bought_category', category: 'drinkware' },
        ],
      },
    });
    expect(parseSegment('spent>5000', 0)).toEqual({ ok: true, segment: { rules: [{ kind: 'spent_over', amount: 5000 }] } });
  });

  it('refuses what it cannot read, saying how to write it', () => {
    const message = (text: string) => {
      const r = parseSegment(text, 2);
      return r.ok ? null : r.message;
    };
    expect(message('buyers')).toMatch(/"buyers" is not a segment rule.*spent>50/);
    expect(message('spent>abc')).toMatch(/spent> needs an amount/);
    expect(message('spent>1.234')).toMatch(/spent> needs an amount/);
    expect(message('inactive:0')).toMatch(/from 1 to 3650/);
    expect(message('telegram discord')).toMatch(/one channel/);
    expect(message('bought:Robert"); DROP')).toMatch(/not a segment rule/);
  });

  it('describes a segment in plain words', () => {
    expect(describeSegment({ rules: [] }, eur)).toBe('all subscribers');
    expect(describeSegment({ rules: [{ kind: 'channel', channel: 'discord' }] }, eur)).toBe('all subscribers on discord');
    const r = parseSegment('telegram bought:classic-hoodie spent>50', 2);
    expect(r.ok && describeSegment(r.segment, eur)).toBe('subscribers on telegram who bought classic-hoodie and spent at least 50.00 EUR');
  });
});

describe('segment: bought in the last N days', () => {
  it('reads active:N, refuses a day count out of range, and says it in words', () => {
    expect(parseSegment('telegram active:30', 2)).toEqual({ ok: true, segment: { rules: [{ kind: 'channel', channel: 'telegram' }, { kind: 'active_days', days: 30 }] } });
    const bad = parseSegment('active:0', 2);
    expect(bad.ok ? null : bad.message).toMatch(/active: needs a number of days from 1 to 3650/);
    const word = parseSegment('active:soon', 2);
    expect(word.ok ? null : word.message).toMatch(/active: needs a number of days/);
    expect(describeSegment({ rules: [{ kind: 'active_days', days: 30 }] }, eur)).toBe('subscribers who ordered in the last 30 days');
  });
});
