/** How numbers read on the site: compact token counts, dollars, signed percentages. */

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 1234567 -> "1.2M"; small counts stay whole. */
export function formatTokens(tokens: number): string {
  return Math.abs(tokens) < 10_000 ? whole.format(tokens) : compact.format(tokens);
}

export function formatCount(count: number): string {
  return whole.format(count);
}

/** 12.3 -> "$12.30", 1234 -> "$1,234"; a negative (a net saving can be one) -> "−$5.00". */
export function formatUSD(usd: number): string {
  const digits = Math.abs(usd) >= 100 ? 0 : 2;
  const amount = Math.abs(usd).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${usd < 0 && /[1-9]/.test(amount) ? '−' : ''}$${amount}`;
}

/** A share in 0..1 -> "42.0%". */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** A change (current / previous − 1) -> "+12.3%"; null (nothing before) -> "new". */
export function formatChange(change: number | null): string {
  if (change === null) return 'new';
  return `${change >= 0 ? '+' : '−'}${Math.abs(change * 100).toFixed(1)}%`;
}

/** A ratio of geometric means -> the change it means: 0.7 -> "−30.0%". */
export function formatRatio(ratio: number): string {
  return formatChange(ratio - 1);
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** An ISO instant as a local date and time in the site's time zone: "2026-11-23 14:00". */
export function formatInstant(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}
