// A catalog's dates are calendar days written YYYY-MM-DD (genai-prices' start_date, a catalog's own date).

/** YYYY-MM-DD naming a real day (2026-02-30 is not). */
export function isCalendarDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}
