// Loaded into every Node.js process of one bench measurement (NODE_OPTIONS=--require): on exit, appends the
// process's peak resident memory and CPU time to $BENCH_USAGE_FILE, so the bench can report the peak and
// the CPU of the whole process tree (`npx`, `tsx`, the app) of a child it started.
'use strict';
const fs = require('fs');

const file = process.env.BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    const line = {
      argv: process.argv.slice(1),
      maxRssKiB: u.maxRSS,
      cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000,
    };
    fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
  });
}
