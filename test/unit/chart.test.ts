import { describe, expect, it } from 'vitest';
import { bar, barChart, columnChart } from '../../src/render/chart.js';
import { heatmap } from '../../src/render/heatmap.js';

describe('charts', () => {
  it.each([
    [10, 10, 4, '████'],
    [5, 10, 4, '██'],
    [1, 8, 1, '▏'],
    [0, 10, 4, ''],
    [3, 0, 4, ''],
  ])('bar(%d, %d, %d)', (v, max, w, expected) => {
    expect(bar(v, max, w)).toBe(expected);
  });

  it('bar chart aligns labels and keeps the text', () => {
    expect(
      barChart(
        [
          { label: 'a', value: 2, text: '$2' },
          { label: 'bbb', value: 1, text: '$1' },
        ],
        4,
      ).split('\n'),
    ).toEqual(['a   │████ $2', 'bbb │██   $1']);
  });

  it('column chart is as tall as asked, tallest column full', () => {
    const lines = columnChart([0, 1, 2], { height: 2, maxLabel: 'max 2' }).split('\n');
    expect(lines).toEqual(['  █ max 2', ' ██']);
  });

  it('heatmap has 7 day rows of 48 cells, darkest at the max', () => {
    const cells = Array.from({ length: 7 }, () => Array(24).fill(0));
    cells[2]![14] = 5;
    const lines = heatmap(cells, '$5').split('\n');
    expect(lines).toHaveLength(9);
    expect(lines[3]!.startsWith('Wed ')).toBe(true);
    expect(lines[3]!.slice(4 + 28, 4 + 30)).toBe('██');
    expect(lines[1]!.slice(4)).toBe('·'.repeat(48));
  });
});
