// The config file: every command reads its default database and agent; the console's picker
// remembers a choice without losing the user's comments; a broken file is a clear error.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configuredAgent, loadConfig, parseConfig, rememberAgent } from '../../src/config/config.js';
import { runJson, runTandem } from '../helpers/cli-inproc.js';
import { tempDir } from '../helpers/core.js';
import { newDatabase } from '../helpers/store-target.js';

let dir: string;
let env: NodeJS.ProcessEnv;
const configFile = () => path.join(dir, 'cfg', 'tandem', 'config.toml');
const writeConfig = (text: string) => {
  fs.mkdirSync(path.dirname(configFile()), { recursive: true });
  fs.writeFileSync(configFile(), text);
};

beforeEach(() => {
  dir = tempDir();
  env = { XDG_CONFIG_HOME: path.join(dir, 'cfg'), HOME: dir };
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('config file', () => {
  it('reads the default database, agent, remembered agents and mailbox tables', () => {
    writeConfig(`# mine
database = "~/shop.db"
agent = "sam"

[agent_for]
"/srv/team.db" = "cleo"

[mailbox.support]
address = "help@shop.example"
imap = { host = "imap.shop.example", port = 993 }
`);
    const c = loadConfig(env);
    expect(c.database).toBe(path.join(dir, 'shop.db'));
    expect(configuredAgent(c, '/srv/team.db')).toBe('cleo');
    expect(configuredAgent(c, '/srv/other.db')).toBe('sam');
    expect(c.mailboxes.support).toEqual({ address: 'help@shop.example', imap: { host: 'imap.shop.example', port: 993 } });
  });

  it('a missing file is an empty config; a broken or misspelt one is an error naming the file and line', () => {
    expect(loadConfig(env)).toMatchObject({ agentFor: {}, mailboxes: {} });
    expect(() => parseConfig('agent = "sam"\ndatabase = [\nx = 1', '/x/config.toml')).toThrow(/\/x\/config\.toml:3: not valid TOML/);
    expect(() => parseConfig('databse = "a.db"', '/x/config.toml')).toThrow(/unknown setting "databse"/);
    expect(() => parseConfig('agent = 3', '/x/config.toml')).toThrow(/"agent" must be an agent handle/);
  });

  it('remembering an agent keeps comments and other settings, and replaces an earlier choice', () => {
    writeConfig('# my settings\nagent = "sam" # the founder\n\n[agent_for]\n"/a.db" = "ana"\n"/b.db" = "ben"\n\n[mailbox.x]\nhost = "h"\n');
    rememberAgent(env, '/a.db', 'cleo');
    const text = fs.readFileSync(configFile(), 'utf8');
    expect(text).toContain('# my settings');
    expect(text).toContain('agent = "sam" # the founder');
    const c = loadConfig(env);
    expect(c.agentFor).toEqual({ '/a.db': 'cleo', '/b.db': 'ben' });
    expect(c.mailboxes.x).toEqual({ host: 'h' });
    rememberAgent({ ...env, XDG_CONFIG_HOME: path.join(dir, 'fresh') }, '/c.db', 'dev');
    expect(loadConfig({ ...env, XDG_CONFIG_HOME: path.join(dir, 'fresh') }).agentFor).toEqual({ '/c.db': 'dev' });
  });

  it('a new config file is private, and a PostgreSQL database is remembered without its password', () => {
    const url = 'postgres://sam:s3cret-pw@db.example.com:5432/support';
    const file = rememberAgent(env, url, 'cleo');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain('s3cret-pw');
    expect(text).toContain('postgres://sam:***@db.example.com:5432/support');
    const c = loadConfig(env);
    expect(configuredAgent(c, url)).toBe('cleo');
    expect(configuredAgent(c, 'postgres://sam:s3cret-pw@db.example.com:5432/other')).toBeUndefined();
    // An existing file keeps the mode its owner gave it.
    fs.chmodSync(file, 0o640);
    rememberAgent(env, '/a.db', 'ana');
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
  });

  it('every command uses the configured database and agent; --db, $TANDEM_DB and --as still win', async () => {
    // On the PostgreSQL pass the configured database is a postgres:// URL.
    const db = await newDatabase('configured');
    const other = await newDatabase('other');
    writeConfig(`database = "${db}"\nagent = "cleo"\n`);
    const cfgEnv = { XDG_CONFIG_HOME: path.join(dir, 'cfg') };
    expect((await runTandem(['init', '--handle', 'sam'], { env: cfgEnv })).code).toBe(0);
    expect((await runJson(['agent', 'list'], { db, as: 'sam' })).map((a: any) => a.handle)).toEqual(['sam']);
    await runJson(['agent', 'add', 'cleo', '--roles', 'support'], { env: cfgEnv, as: 'sam' });
    const item = await runJson(['item', 'add', '--subject', 'Hello', '--customer', 'jo@example.com', '--kind', 'bug'], { env: cfgEnv });
    expect((await runJson(['item', 'take', String(item.id)], { env: cfgEnv })).assignee).toBe('cleo');
    expect((await runJson(['item', 'take', String(item.id), '--force'], { env: cfgEnv, as: 'sam' })).assignee).toBe('sam');
    // $TANDEM_DB wins over the configured database: that one has no agents yet.
    const r = await runTandem(['item', 'take', '1'], { env: cfgEnv, db: other });
    expect(r.stderr).toMatch(/no agent with handle @cleo/);
  });

  it('an agent named in the config that this database lacks is an error that says where it came from', async () => {
    writeConfig('agent = "nobody"\n');
    const db = await newDatabase('x');
    await runTandem(['init', '--handle', 'sam'], { db });
    const r = await runTandem(['item', 'add', '--subject', 'Hi', '--customer', 'jo@example.com'], {
      db,
      env: { XDG_CONFIG_HOME: path.join(dir, 'cfg') },
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(configFile());
  });

  it('a broken config file stops every command with exit 5 before anything is written', async () => {
    writeConfig('database = \n');
    const r = await runTandem(['init'], { db: await newDatabase('y'), env: { XDG_CONFIG_HOME: path.join(dir, 'cfg') } });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/config\.toml:1: not valid TOML/);
    // `tandem doctor` reports it as a finding, and still checks the rest.
    const doctor = await runTandem(['doctor', '--json'], { db: await newDatabase('z'), env: { XDG_CONFIG_HOME: path.join(dir, 'cfg') } });
    expect(doctor.code).toBe(1);
    const findings = JSON.parse(doctor.stdout).findings;
    expect(findings.find((f: any) => f.check === 'config')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/config\.toml:1: not valid TOML/),
    });
    expect(findings.map((f: any) => f.check)).toContain('locale');
  });
});
