// What the read-along EPUB tests read from a book: paths inside the zip, SMIL times.

/** `href` resolved against the zip path of the file it appears in. */
export function resolveInZip(base: string, href: string): string {
  const parts = base.split('/').slice(0, -1);
  for (const part of href.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  return parts.join('/');
}

/** Seconds from "12.345678s" (timecount) or "0:01:02.5" (clock value). */
export function secondsOf(value: string): number {
  if (value.endsWith('s')) return Number(value.slice(0, -1));
  return value.split(':').reduce((sum, part) => sum * 60 + Number(part), 0);
}
