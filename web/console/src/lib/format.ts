// Numbers and times as the console shows them.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

export function when(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : "—";
}

export function day(iso: string): string {
  return dateOnly.format(new Date(`${iso.slice(0, 10)}T00:00:00Z`));
}

/** 3725 -> "1 h 2 min 5 s"; 42 -> "42 s". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "—";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h && `${h} h`, m && `${m} min`, (s || (!h && !m)) && `${s} s`].filter(Boolean).join(" ");
}

/** Seconds as minutes with one decimal where it matters: 90 -> "1.5". */
export function minutes(seconds: number): string {
  const value = seconds / 60;
  if (value > 0 && value < 0.1) return "under 0.1";
  return value >= 100 || Number.isInteger(value) ? Math.round(value).toString() : value.toFixed(1);
}

/** Time since an instant, coarse: "12 s", "3 min", "2 h". */
export function since(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return "—";
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
