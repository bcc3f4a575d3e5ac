// Runs the bundled program with V8's code cache. Node 20 compiles every script from source on every
// start (Node 22's module.enableCompileCache is not there yet), and that is most of a short command's
// time. The first successful run of each command writes what V8 compiled for it to a file in
// $XDG_CACHE_HOME/tandem (else ~/.cache/tandem); later runs of that command start from it. The parts
// (dist/bundle/part-*.cjs: libraries only some commands use) are read and cached the same way, each in
// a file of its own per command (code-<command>+<part>-…), when the program first requires them.
// A missing, stale or broken cache only costs the compile: the file name carries the build's id and
// Node's version, V8 checks its own version and flags before using one, a checksum guards the rest
// (V8 does not check the payload, and a damaged one would crash it), and a rejected cache is written
// anew. Deleting the folder is always safe. TANDEM_CODE_CACHE=off turns it off.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

/** Caches of other builds kept per command (see writeCache). */
const OTHER_BUILDS_KEPT = 2;

/** The global options that take a value: skipped when looking for the command's name. */
const VALUE_OPTIONS = new Set(['--db', '--as']);

/** Which command runs: its cache holds the functions that command compiled. */
function commandKey(argv) {
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (VALUE_OPTIONS.has(a)) i++;
    else if (a === '--') break;
    else if (!a.startsWith('-')) return /^[a-z][a-z0-9-]{0,31}$/.test(a) ? a : 'other';
  }
  return args.some((a) => ['-h', '--help', '-V', '--version'].includes(a)) ? 'help' : 'console';
}

function cacheFolder(env) {
  if (env.TANDEM_CODE_CACHE === 'off') return null;
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, 'tandem');
  let home = env.HOME;
  try {
    home ||= os.homedir();
  } catch {
    // No home directory for this account (a service user): no cache.
  }
  return home ? path.join(home, '.cache', 'tandem') : null;
}

/**
 * Compile and evaluate the program's CommonJS bundle at `file` (from its code cache when there is a
 * good one); returns its exports. The parts it requires (./part-*.cjs, the libraries only some commands
 * use) load the same way when first required, each with a cache of its own per command.
 */
function loadProgram(file, argv, env) {
  const command = commandKey(argv);
  const folder = cacheFolder(env);
  const parts = new Map();
  const load = (scriptFile, key) => {
    const realRequire = Module.createRequire(scriptFile);
    const partRequire = (id) => {
      const part = /^\.\/part-([a-z]+)\.cjs$/.exec(id)?.[1];
      if (!part) return realRequire(id);
      const partFile = path.join(path.dirname(scriptFile), id);
      if (!parts.has(partFile)) parts.set(partFile, load(partFile, `${command}+${part}`));
      return parts.get(partFile);
    };
    partRequire.resolve = realRequire.resolve;
    return runScript(scriptFile, key, command === 'console', folder, partRequire);
  };
  return load(file, command);
}

/** Run one CommonJS file of the build with the code cache `code-<key>-…` in `folder`; returns its exports. */
function runScript(file, key, longLived, folder, requireFn) {
  const source = readSource(file, longLived);
  const buildId = /^\/\/ tandem build ([0-9a-f]+)/.exec(source)?.[1];
  const cacheFile = buildId && folder && path.join(folder, `code-${key}-${buildId}-${process.version}-${process.arch}.bin`);
  const cachedData = cacheFile ? readCache(cacheFile) : undefined;
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    // Written once the command has run and succeeded, so the cache holds what it compiled.
    process.once('exit', (code) => {
      if (code === 0) writeCache(folder, cacheFile, `code-${key}-`, buildId, script);
    });
  }
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  script.runInThisContext()(mod.exports, requireFn, mod, file, path.dirname(file));
  mod.loaded = true;
  return mod.exports;
}

// The console keeps running, so its start must not leave memory behind: it reads both files into
// WebAssembly memory, which V8 maps and unmaps itself, not into Buffers from malloc. glibc raises its
// mmap threshold to the size of any large block freed, so freeing a 4 MB read buffer at start made
// every later allocation up to that size come from heaps it rarely gives back (≈ 10 MB more resident
// memory in a console session). A command exits within a second and reads the bundle in one go.

/** The whole file in WebAssembly memory (a Buffer view of exactly its bytes), or undefined when it cannot be read. */
function readOutsideMalloc(file) {
  let fd;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const bytes = Buffer.from(new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(size / 65536)) }).buffer, 0, size);
    for (let read = 0; read < size; ) {
      const n = fs.readSync(fd, bytes, read, size - read, read);
      if (n === 0) return undefined; // the file shrank while being read
      read += n;
    }
    return bytes;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The bundle's text (esbuild writes ASCII: latin1 decodes it as is). For the console, in 1 MB pieces
 * through one small WebAssembly buffer (the whole file there would stay mapped until a full GC).
 */
function readSource(file, longLived) {
  if (!longLived) return fs.readFileSync(file, 'latin1');
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = Buffer.from(new WebAssembly.Memory({ initial: 16 }).buffer);
    const parts = [];
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) return parts.join('');
      parts.push(chunk.latin1Slice(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** The cache's payload when the file is whole (its CRC-32 trailer matches), else undefined. */
function readCache(cacheFile) {
  let file;
  try {
    file = readOutsideMalloc(cacheFile);
  } catch {
    return undefined;
  }
  if (!file || file.length <= 4) return undefined;
  const payload = file.subarray(0, file.length - 4);
  return require('node:zlib').crc32(payload) === file.readUInt32LE(file.length - 4) ? payload : undefined;
}

/** Write atomically (several processes may start at once), and drop caches of other builds (below). */
function writeCache(folder, cacheFile, prefix, buildId, script) {
  try {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    const payload = script.createCachedData();
    const trailer = Buffer.alloc(4);
    trailer.writeUInt32LE(require('node:zlib').crc32(payload));
    fs.writeFileSync(tmp, Buffer.concat([payload, trailer]), { mode: 0o600 });
    fs.renameSync(tmp, cacheFile);
    // Other builds' caches: of this command, the newest few stay (two installs in use, e.g. a global
    // one and a checkout, must not undo each other's on every run); any other build's once a day has
    // passed without them being written; so a rebuilt checkout leaves a bounded folder.
    const ours = path.basename(cacheFile);
    const build = `-${buildId}-`;
    const dayAgo = Date.now() - 24 * 3600 * 1000;
    const sameCommand = [];
    for (const name of fs.readdirSync(folder)) {
      if (!name.startsWith('code-') || !name.endsWith('.bin') || name === ours || name.includes(build)) continue;
      const file = path.join(folder, name);
      const { mtimeMs } = fs.statSync(file);
      if (name.startsWith(prefix)) sameCommand.push({ file, mtimeMs });
      else if (mtimeMs < dayAgo) fs.rmSync(file, { force: true });
    }
    sameCommand.sort((a, b) => b.mtimeMs - a.mtimeMs);
    for (const { file } of sameCommand.slice(OTHER_BUILDS_KEPT)) fs.rmSync(file, { force: true });
  } catch {
    // No cache (read-only home, full disk): the next run compiles again, nothing else changes.
  }
}

module.exports = { loadProgram, commandKey, VALUE_OPTIONS };
