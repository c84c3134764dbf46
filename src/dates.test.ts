import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertTimeZone, dayKeyIn, earliestStartMs, isoWeek, monthOf, parseDay, TimeZoneError } from './dates.js';

const at = (iso: string) => Date.parse(iso);

describe('dayKeyIn', () => {
  it('keeps UTC days in UTC', () => {
    const day = dayKeyIn('UTC');
    expect(day(at('2026-05-04T00:00:00Z'))).toBe('2026-05-04');
    expect(day(at('2026-05-04T23:59:59.999Z'))).toBe('2026-05-04');
    expect(day(at('2026-05-05T00:00:00Z'))).toBe('2026-05-05');
  });

  it('moves 23:30Z to the next day in Asia/Tokyo (UTC+9)', () => {
    const day = dayKeyIn('Asia/Tokyo');
    expect(day(at('2026-05-04T23:30:00Z'))).toBe('2026-05-05');
    // Tokyo midnight is 15:00Z the day before.
    expect(day(at('2026-05-04T14:59:59.999Z'))).toBe('2026-05-04');
    expect(day(at('2026-05-04T15:00:00Z'))).toBe('2026-05-05');
  });

  it('follows Europe/Berlin across the spring change of 2026-03-29', () => {
    const day = dayKeyIn('Europe/Berlin');
    // 29 March starts at 23:00Z on the 28th (CET, +1) and ends at 22:00Z (CEST, +2): a 23-hour day.
    expect(day(at('2026-03-28T22:59:59Z'))).toBe('2026-03-28');
    expect(day(at('2026-03-28T23:00:00Z'))).toBe('2026-03-29');
    expect(day(at('2026-03-29T21:59:59Z'))).toBe('2026-03-29');
    expect(day(at('2026-03-29T22:00:00Z'))).toBe('2026-03-30');
  });

  it('follows America/New_York across both changes of 2026', () => {
    const day = dayKeyIn('America/New_York');
    // Spring (8 March): the day starts 05:00Z (EST, -5); the 9th starts 04:00Z (EDT, -4).
    expect(day(at('2026-03-08T04:59:00Z'))).toBe('2026-03-07');
    expect(day(at('2026-03-08T05:00:00Z'))).toBe('2026-03-08');
    expect(day(at('2026-03-09T03:59:00Z'))).toBe('2026-03-08');
    expect(day(at('2026-03-09T04:00:00Z'))).toBe('2026-03-09');
    // Autumn (1 November): the 2nd starts 05:00Z (EST) and 04:30Z is still 23:30 on the 1st.
    expect(day(at('2026-11-02T04:30:00Z'))).toBe('2026-11-01');
    expect(day(at('2026-11-02T05:00:00Z'))).toBe('2026-11-02');
  });

  it('handles quarter-hour offsets (Asia/Kathmandu, UTC+5:45)', () => {
    const day = dayKeyIn('Asia/Kathmandu');
    expect(day(at('2026-05-04T18:14:59Z'))).toBe('2026-05-04');
    expect(day(at('2026-05-04T18:15:00Z'))).toBe('2026-05-05');
  });

  it('agrees with Intl for any instant, in zones with odd offsets and changes (property)', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/St_Johns', 'Pacific/Kiritimati'];
    const days = Object.fromEntries(zones.map((zone) => [zone, dayKeyIn(zone)]));
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: at('2000-01-01T00:00:00Z'), max: at('2040-01-01T00:00:00Z') }), (zone, ms) => {
        const expected = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
        expect(days[zone]!(ms)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isoWeek', () => {
  it.each([
    ['2025-12-29', '2026-W01'], // Monday of the week holding Thursday 2026-01-01
    ['2026-01-04', '2026-W01'],
    ['2026-01-05', '2026-W02'],
    ['2026-05-04', '2026-W19'], // 126 days after 2025-12-29 = 18 whole weeks
    ['2027-01-03', '2026-W53'], // 2026 starts on a Thursday, so it has 53 weeks
    ['2027-01-04', '2027-W01'],
    ['2021-01-03', '2020-W53'], // leap year 2020 starts on a Wednesday: 53 weeks
    ['2021-01-04', '2021-W01'],
    ['2024-12-30', '2025-W01'],
  ])('puts %s in %s', (day, week) => {
    expect(isoWeek(day)).toBe(week);
  });
});

describe('monthOf', () => {
  it('is the YYYY-MM of a day', () => {
    expect(monthOf('2026-05-04')).toBe('2026-05');
  });
});

describe('parseDay', () => {
  it('returns a valid day unchanged', () => {
    expect(parseDay('2026-05-04', '--since')).toBe('2026-05-04');
    expect(parseDay('2024-02-29', '--until')).toBe('2024-02-29');
  });

  it.each(['2026-13-01', '2026-5-4', '04.05.2026', '2026-05-04T00:00', '', '2026-02-30', '2025-02-29', '2026-04-31'])('rejects "%s", naming the flag and the value', (value) => {
    expect(() => parseDay(value, '--since')).toThrow(TimeZoneError);
    expect(() => parseDay(value, '--since')).toThrow(`--since: expected a date as YYYY-MM-DD, got "${value}"`);
  });

  it('names whichever flag it is given', () => {
    expect(() => parseDay('x', '--until')).toThrow(/^--until: /);
  });
});

describe('assertTimeZone', () => {
  it('returns a known IANA zone', () => {
    expect(assertTimeZone('Asia/Tokyo')).toBe('Asia/Tokyo');
    expect(assertTimeZone('UTC')).toBe('UTC');
  });

  it('rejects an unknown zone with a message naming the flag and the zone', () => {
    expect(() => assertTimeZone('Mars/Base')).toThrow(TimeZoneError);
    expect(() => assertTimeZone('Mars/Base')).toThrow(/^--timezone: unknown IANA time zone "Mars\/Base"/);
  });
});

describe('earliestStartMs', () => {
  it('is the start of the day in UTC+14, the earliest zone', () => {
    const ms = earliestStartMs('2026-05-04');
    expect(new Date(ms).toISOString()).toBe('2026-05-03T10:00:00.000Z');
    const kiritimati = dayKeyIn('Pacific/Kiritimati');
    expect(kiritimati(ms)).toBe('2026-05-04');
    expect(kiritimati(ms - 1)).toBe('2026-05-03');
  });
});
