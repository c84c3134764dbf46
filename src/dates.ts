/**
 * Calendar buckets in a time zone. Responses are stored in UTC; days, weeks and months are the
 * viewer's, so a 23:30Z response lands on the next day in Tokyo.
 */
import { UserFacingError } from './errors.js';

export class TimeZoneError extends UserFacingError {}

/** The machine's IANA time zone. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function assertTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    throw new TimeZoneError(`--timezone: unknown IANA time zone "${timeZone}" (for example UTC, Europe/Berlin, Asia/Tokyo)`);
  }
}

const DAY_MS = 86_400_000;

/** UTC offset of `timeZone` at `ms`, in ms (local = UTC + offset). */
function offsetAt(format: Intl.DateTimeFormat, ms: number): number {
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(ms)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!, parts.second!);
  return local - Math.floor(ms / 1000) * 1000;
}

/**
 * Returns a function from epoch ms to the local `YYYY-MM-DD` in `timeZone`. The offset is looked
 * up twice per UTC day (ICU is slow); on a day whose offset changes (DST), every 15-minute slot
 * is looked up, since offsets only ever change on quarter hours.
 */
export function dayKeyIn(timeZone: string): (ms: number) => string {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  const days = new Map<number, number | null>(); // UTC day -> its one offset, or null on a change
  const slots = new Map<number, number>();
  const names = new Map<number, string>(); // local day number -> YYYY-MM-DD
  return (ms) => {
    const utcDay = Math.floor(ms / DAY_MS);
    let offset = days.get(utcDay);
    if (offset === undefined) {
      const start = offsetAt(format, utcDay * DAY_MS);
      offset = start === offsetAt(format, utcDay * DAY_MS + DAY_MS - 1) ? start : null;
      days.set(utcDay, offset);
    }
    if (offset === null) {
      const slot = Math.floor(ms / 900_000);
      let slotOffset = slots.get(slot);
      if (slotOffset === undefined) slots.set(slot, (slotOffset = offsetAt(format, slot * 900_000)));
      offset = slotOffset;
    }
    const localDay = Math.floor((ms + offset) / DAY_MS);
    let name = names.get(localDay);
    if (name === undefined) names.set(localDay, (name = new Date(localDay * DAY_MS).toISOString().slice(0, 10)));
    return name;
  };
}

/** Weeks of the days asked for: pages ask once per row, and a site spans a few hundred days. */
const weeksOfDays = new Map<string, string>();
const MAX_REMEMBERED_WEEKS = 100_000;

/** ISO-8601 week of a `YYYY-MM-DD` date, as `YYYY-Www` (weeks start on Monday). */
export function isoWeek(day: string): string {
  let week = weeksOfDays.get(day);
  if (week === undefined) {
    week = computeIsoWeek(day);
    if (weeksOfDays.size < MAX_REMEMBERED_WEEKS) weeksOfDays.set(day, week);
  }
  return week;
}

function computeIsoWeek(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const weekday = (date.getUTCDay() + 6) % 7; // Monday = 0
  date.setUTCDate(date.getUTCDate() - weekday + 3); // the week's Thursday decides its year
  const year = date.getUTCFullYear();
  const week = Math.floor((date.getTime() - Date.UTC(year, 0, 1)) / 604_800_000) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function monthOf(day: string): string {
  return day.slice(0, 7);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Validates a `YYYY-MM-DD` option value; the flag name goes into the error. */
export function parseDay(value: string, flag: string): string {
  const ms = Date.parse(`${value}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to March 2; a real day formats back to itself.
  if (!DAY.test(value) || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw new TimeZoneError(`${flag}: expected a date as YYYY-MM-DD, got "${value}"`);
  }
  return value;
}

/**
 * The earliest instant a local `day` can start in any time zone (UTC+14): files last modified
 * before it cannot hold responses of that day or later.
 */
export function earliestStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) - 14 * 3_600_000;
}
