// Loaders for the real request-volume series in fixtures/samples/series (see its README).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES } from './cli.js';

export const SERIES_DIR = join(SAMPLES, 'series');

export interface BurstHour {
  day: number;
  hour: number;
  conversation: number;
  api: number;
  all: number;
}

export function burstGptHourly(): BurstHour[] {
  const lines = readFileSync(join(SERIES_DIR, 'llm-hourly', 'burstgpt_hourly.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  return lines.map((l) => {
    const [day, hour, conversation, api, all] = l.split(',').map(Number);
    return { day: day!, hour: hour!, conversation: conversation!, api: api!, all: all! };
  });
}

/** Wikipedia daily views (Peyton Manning): date → views; 59 calendar days are missing in the file. */
export function wikipediaDaily(): Array<{ date: string; views: number }> {
  const lines = readFileSync(join(SERIES_DIR, 'prophet', 'example_wp_peyton_manning.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  return lines.map((l) => {
    const [ds, y] = l.replace(/"/g, '').split(',');
    return { date: ds!, views: Number(y) };
  });
}

/** A NAB series summed into hourly buckets (timestamps read as UTC); `start` is the first hour. */
export function nabHourly(file: string): { start: Date; values: number[]; windows: Array<[Date, Date]> } {
  const lines = readFileSync(join(SERIES_DIR, 'nab', 'data', file), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const points = lines.map((l) => {
    const [ts, v] = l.split(',');
    return { t: new Date(`${ts!.replace(' ', 'T')}Z`).getTime(), v: Number(v) };
  });
  const startMs = Math.floor(points[0]!.t / 3_600_000) * 3_600_000;
  const values: number[] = [];
  for (const p of points) {
    const i = Math.floor((p.t - startMs) / 3_600_000);
    while (values.length <= i) values.push(0);
    values[i]! += p.v;
  }
  const labels = JSON.parse(readFileSync(join(SERIES_DIR, 'nab', 'labels', 'combined_windows.json'), 'utf8')) as Record<
    string,
    string[][]
  >;
  const windows = (labels[file] ?? []).map(
    ([a, b]) => [new Date(`${a!.replace(' ', 'T')}Z`), new Date(`${b!.replace(' ', 'T')}Z`)] as [Date, Date],
  );
  return { start: new Date(startMs), values, windows };
}
