// @ts-check
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * Loaded into the app by the bench (`--import`): writes the main thread's cumulative event-loop
 * utilisation (performance.eventLoopUtilization: idle and active ms since start) to BENCH_ELU_FILE every 200 ms,
 * so that the bench can take the share of a phase from two readings. Nothing else of the app is touched. Plain
 * JavaScript, so that the app runs without tsx's loader, as `npm start` runs it.
 */
const file = process.env.BENCH_ELU_FILE;
if (file) {
  const write = () => {
    const { idle, active } = performance.eventLoopUtilization();
    writeFileSync(file, JSON.stringify({ idle, active, at: Date.now() }));
  };
  write();
  setInterval(write, 200).unref();
}
