// Build-time stand-in for node:child_process inside commander (scripts/build-options.mjs): the module
// loads when a property is first read, not when commander loads.
module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });
