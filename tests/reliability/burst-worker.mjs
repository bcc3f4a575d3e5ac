// A process making many changes through the real CLI entry point (one store open + transaction each).
// Usage: node burst-worker.mjs DB AGENT WORKER_ID COUNT ITEM_IDS(comma) [SEED]
// Prints one line per acknowledged change: "ok <item> <marker> <version>" or "refused <item> <marker>".
import { createRequire } from 'node:module';

// The built program, loaded as bin/tandem.js loads it.
const { loadProgram } = createRequire(import.meta.url)('../../bin/code-cache.js');
const { main } = loadProgram(new URL('../../dist/bundle/tandem.cjs', import.meta.url).pathname, process.argv, process.env);

const [db, agent, worker, countText, idsText, seedText] = process.argv.slice(2);
const ids = idsText.split(',');
let seed = Number(seedText ?? worker) + 1;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const seen = new Map(); // item -> last version this worker saw

// Capture what main() prints so each result can be parsed.
const realWrite = process.stdout.write.bind(process.stdout);
const realErr = process.stderr.write.bind(process.stderr);
async function tandem(args) {
  let out = '';
  let err = '';
  process.stdout.write = (chunk) => {
    out += chunk;
    return true;
  };
  process.stderr.write = (chunk) => {
    err += chunk;
    return true;
  };
  try {
    const code = await main(['node', 'tandem', '--db', db, '--as', agent, ...args]);
    return { code, out, err };
  } finally {
    process.stdout.write = realWrite;
    process.stderr.write = realErr;
  }
}

for (let i = 0; i < Number(countText); i++) {
  const item = ids[Math.floor(rand() * ids.length)];
  const marker = `w${worker}-${i}`;
  const kind = Math.floor(rand() * 3);
  const args =
    kind === 0
      ? ['item', 'note', item, `note ${marker}`]
      : kind === 1
        ? ['item', 'reply', item, `reply ${marker}`]
        : ['item', 'tag', item, marker];
  const useVersion = rand() < 0.5 && seen.has(item);
  if (useVersion) args.push('--if-version', String(seen.get(item)));
  const r = await tandem([...args, '--json']);
  if (r.code === 0) {
    const v = JSON.parse(r.out).version;
    seen.set(item, v);
    realWrite(`ok ${item} ${marker} ${v}\n`);
  } else if (r.code === 4) {
    realWrite(`refused ${item} ${marker}\n`);
  } else {
    realWrite(`error ${item} ${marker} ${r.code} ${JSON.stringify(r.err)}\n`);
  }
}
