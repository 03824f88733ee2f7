/**
 * The CLI's progress line (src/cli/progress.ts) on a fake clock: nothing during the first second; on a
 * terminal one line rewritten in place and erased at the end; off a terminal silent unless forced,
 * then a line per second; steps, steps/s and an ETA (none while the first 1% says little).
 */
import { describe, expect, it } from 'vitest';
import { fmtSeconds, progress, progressText } from '../src/cli/progress';

function setup(isTTY: boolean, force: boolean | null) {
  let t = 0;
  const written: string[] = [];
  const bar = progress({ unit: 'steps', total: 1000, force, sink: { isTTY, write: (c: string) => written.push(c) }, now: () => t });
  return { bar, written, at: (ms: number) => (t = ms) };
}

describe('progress line', () => {
  it('on a terminal: nothing in the first second, then one line rewritten in place, erased at the end', () => {
    const { bar, written, at } = setup(true, null);
    at(500);
    bar.update(100);
    expect(written).toEqual([]);
    at(1000);
    bar.update(200);
    expect(written).toEqual(['\r\x1b[Kstep 200/1000 · 200 steps/s · ETA 4.0 s']);
    at(1100);
    bar.update(220); // within 200 ms of the last: not redrawn
    at(1250);
    bar.update(250);
    expect(written).toHaveLength(2);
    expect(written[1]).toBe('\r\x1b[Kstep 250/1000 · 200 steps/s · ETA 3.8 s');
    bar.end();
    expect(written.at(-1)).toBe('\r\x1b[K');
  });

  it('off a terminal: silent by default, a line per second when forced, the last one at the end', () => {
    const quiet = setup(false, null);
    quiet.at(5000);
    quiet.bar.update(500);
    quiet.bar.end();
    expect(quiet.written).toEqual([]);
    const loud = setup(false, true);
    loud.at(1000);
    loud.bar.update(100);
    loud.at(1500);
    loud.bar.update(150);
    loud.at(2000);
    loud.bar.update(200);
    loud.at(2100);
    loud.bar.update(1000);
    loud.bar.clear(); // no terminal: nothing to erase
    loud.bar.end();
    expect(loud.written).toEqual(['step 100/1000 · 100 steps/s · ETA 9.0 s\n', 'step 200/1000 · 100 steps/s · ETA 8.0 s\n', 'step 1000/1000 · 476 steps/s · ETA 0.0 s\n']);
  });

  it('--no-progress silences a terminal too; a short run shows nothing', () => {
    const off = setup(true, false);
    off.at(3000);
    off.bar.update(10);
    off.bar.end();
    expect(off.written).toEqual([]);
    const short = setup(true, null);
    short.at(900);
    short.bar.update(1000);
    short.bar.end();
    expect(short.written).toEqual([]);
  });

  it('no ETA before 1% of the work; long ETAs in minutes and hours', () => {
    expect(progressText('steps', 5, 1000, 1000)).toBe('step 5/1000 · 5.0 steps/s · ETA ?');
    expect(progressText('steps', 10, 1000, 1000)).toBe('step 10/1000 · 10.0 steps/s · ETA 1 min 39 s');
    expect(fmtSeconds(125)).toBe('2 min 05 s');
    expect(fmtSeconds(7380)).toBe('2 h 03 min');
  });
});
