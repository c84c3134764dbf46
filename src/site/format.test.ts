import { describe, expect, it } from 'vitest';
import { formatChange, formatCount, formatDuration, formatInstant, formatRatio, formatShare, formatTokens, formatUSD } from './format.js';

describe('formatTokens', () => {
  it('keeps counts below 10,000 whole, with thousands separators', () => {
    expect(formatTokens(0)).toBe('0');
    expect(formatTokens(950)).toBe('950');
    expect(formatTokens(9_999)).toBe('9,999');
  });

  it('makes larger counts compact with at most one decimal', () => {
    expect(formatTokens(10_000)).toBe('10K');
    expect(formatTokens(1_234_567)).toBe('1.2M');
    expect(formatTokens(3_000_000_000)).toBe('3B');
  });

  it('formats negatives like positives, with a minus', () => {
    expect(formatTokens(-500)).toBe('-500');
    expect(formatTokens(-1_234_567)).toBe('-1.2M');
  });
});

describe('formatUSD', () => {
  it('shows cents below $100 and whole dollars from $100', () => {
    expect(formatUSD(0)).toBe('$0.00');
    expect(formatUSD(0.004)).toBe('$0.00');
    expect(formatUSD(12.3)).toBe('$12.30');
    expect(formatUSD(99.5)).toBe('$99.50');
    expect(formatUSD(100)).toBe('$100');
    expect(formatUSD(1234.4)).toBe('$1,234');
  });

  it('puts the minus before the dollar sign, and none on an amount that rounds to zero', () => {
    expect(formatUSD(-5)).toBe('−$5.00');
    expect(formatUSD(-1234.4)).toBe('−$1,234');
    expect(formatUSD(-0.001)).toBe('$0.00');
  });
});

describe('formatCount and formatShare', () => {
  it('rounds counts to whole numbers and shares to one decimal of a percent', () => {
    expect(formatCount(1234.6)).toBe('1,235');
    expect(formatShare(0)).toBe('0.0%');
    expect(formatShare(0.4567)).toBe('45.7%');
    expect(formatShare(1)).toBe('100.0%');
  });
});

describe('formatChange and formatRatio', () => {
  it('signs a change, with a true minus sign for decreases', () => {
    expect(formatChange(0.123)).toBe('+12.3%');
    expect(formatChange(0)).toBe('+0.0%');
    expect(formatChange(-0.3)).toBe('−30.0%');
    expect(formatChange(2)).toBe('+200.0%');
  });

  it('says "new" when there was nothing before (null)', () => {
    expect(formatChange(null)).toBe('new');
  });

  it('reads a ratio of geometric means as the change it means', () => {
    expect(formatRatio(0.7)).toBe('−30.0%');
    expect(formatRatio(1)).toBe('+0.0%');
    expect(formatRatio(1.25)).toBe('+25.0%');
  });
});

describe('formatDuration', () => {
  it('shows seconds under a minute, minutes under an hour, then hours and minutes', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(59)).toBe('59 s');
    expect(formatDuration(60)).toBe('1 min');
    expect(formatDuration(89)).toBe('1 min');
    expect(formatDuration(90)).toBe('2 min');
    expect(formatDuration(3599)).toBe('1 h 0 min');
    expect(formatDuration(5400)).toBe('1 h 30 min');
    expect(formatDuration(7200)).toBe('2 h 0 min');
    expect(formatDuration(86_400 + 125 * 60)).toBe('26 h 5 min');
  });
});

describe('formatInstant', () => {
  it('shows an instant as the local date and 24-hour time of the given zone', () => {
    expect(formatInstant('2026-11-23T13:00:00Z', 'Europe/Berlin')).toBe('2026-11-23 14:00');
    expect(formatInstant('2026-05-04T23:30:00Z', 'Europe/Berlin')).toBe('2026-05-05 01:30');
    expect(formatInstant('2026-05-04T02:05:00Z', 'America/New_York')).toBe('2026-05-03 22:05');
    expect(formatInstant('2026-05-04T00:00:00.000Z', 'UTC')).toBe('2026-05-04 00:00');
    expect(formatInstant('2026-05-04T15:45:00Z', 'Asia/Kolkata')).toBe('2026-05-04 21:15');
  });
});
