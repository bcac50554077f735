// Loaded into every Node.js process of one bench measurement (NODE_OPTIONS=--require): on exit, appends the
// process's peak resident memory and CPU time to $BENCH_USAGE_FILE, so the bench can report the peak and
// the CPU of the whole process tree (`npx`, `tsx`, the app) of a child it started.
//
// In the process that loads aws-cdk-lib it also times every validation plugin the app registers
// (`Validations.of(app).addPlugins(...)`: aws-cdk-lib's own CloudFormation validation is not registered
// there), so the bench can split aws-cdk-lib's `validateTemplates` phase into the blueprint's checks
// (cdk-nag, the control checks, the limits) and the CloudFormation validation engine. The wrapper adds a
// clock read per plugin and changes nothing the plugins see or return.
'use strict';
const fs = require('fs');
const Module = require('module');

const file = process.env.BENCH_USAGE_FILE;
if (file) {
  /** Milliseconds spent in each registered plugin's validate(), by plugin name. */
  const pluginMs = {};
  const timed = (plugin) => {
    const validate = plugin.validate.bind(plugin);
    plugin.validate = (context) => {
      const start = process.hrtime.bigint();
      try {
        return validate(context);
      } finally {
        const name = plugin.name ?? plugin.constructor.name;
        pluginMs[name] = (pluginMs[name] ?? 0) + Number(process.hrtime.bigint() - start) / 1e6;
      }
    };
    return plugin;
  };
  let patched = false;
  const require0 = Module.prototype.require;
  Module.prototype.require = function (id) {
    const exported = require0.apply(this, arguments);
    if (!patched && id === 'aws-cdk-lib' && exported && exported.Validations) {
      patched = true;
      Module.prototype.require = require0;
      const addPlugins = exported.Validations.prototype.addPlugins;
      exported.Validations.prototype.addPlugins = function (...plugins) {
        return addPlugins.apply(this, plugins.map(timed));
      };
    }
    return exported;
  };
  process.on('exit', () => {
    const u = process.resourceUsage();
    const line = {
      argv: process.argv.slice(1),
      maxRssKiB: u.maxRSS,
      cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000,
      ...(patched ? { pluginMs } : {}),
    };
    fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
  });
}
