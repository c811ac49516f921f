// The time of a point in a board's history in words, in the reader's local time:
// "Today 14:03", "Yesterday 09:15", "27 Nov 14:03", "27 Nov 2025 14:03".
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const two = (n: number) => String(n).padStart(2, "0");

export function timeText(ms: number, now: number = Date.now()): string {
  if (!ms) return "";
  const d = new Date(ms), today = new Date(now);
  const clock = `${two(d.getHours())}:${two(d.getMinutes())}`;
  const dayStart = (x: Date) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const days = Math.round((dayStart(today) - dayStart(d)) / 86_400_000); // DST days are 23 or 25 h: rounded
  if (days === 0) return `Today ${clock}`;
  if (days === 1) return `Yesterday ${clock}`;
  const date = `${d.getDate()} ${MONTHS[d.getMonth()]}`;
  return d.getFullYear() === today.getFullYear() ? `${date} ${clock}` : `${date} ${d.getFullYear()} ${clock}`;
}
