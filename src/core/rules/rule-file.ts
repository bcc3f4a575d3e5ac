// Rule files as a team keeps them in git: YAML (the `yaml` package, YAML 1.2, duplicate keys refused)
// or JSON. Parsing errors become one clear `invalid` error with the line.
import { invalid } from '../errors.js';

// Loaded on first use (only rule commands need it). The bundled CommonJS build arrives as `default`.
async function yaml(): Promise<typeof import('yaml')> {
  const mod = (await import('yaml')) as typeof import('yaml') & { default?: typeof import('yaml') };
  return typeof mod.parse === 'function' ? mod : mod.default!;
}

export type RuleFormat = 'yaml' | 'json';

/** Guess the format from a file name, else from the text (JSON starts with [ or {). */
export function formatOf(name: string | null, text: string): RuleFormat {
  if (name && /\.json$/i.test(name)) return 'json';
  if (name && /\.ya?ml$/i.test(name)) return 'yaml';
  return /^\s*[[{]/.test(text) && !/^\s*\{\s*\w+\s*:/.test(text) ? 'json' : 'yaml';
}

export async function parseRuleText(text: string, format: RuleFormat, what = 'the rule file'): Promise<unknown> {
  if (format === 'json') {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw invalid(`${what} is not valid JSON: ${(e as Error).message}; nothing was saved`);
    }
  }
  const YAML = await yaml();
  try {
    return YAML.parse(text, { uniqueKeys: true, prettyErrors: true });
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    throw invalid(`${what} is not valid YAML: ${msg}; nothing was saved`);
  }
}

/** A small YAML or JSON value given on the command line (`--if "{ field: subject, contains: refund }"`). */
export async function parseInlineValue(text: string, what: string): Promise<unknown> {
  return parseRuleText(text, 'yaml', what);
}

export async function stringifyRules(rules: unknown, format: RuleFormat): Promise<string> {
  if (format === 'json') return JSON.stringify(rules, null, 2) + '\n';
  const YAML = await yaml();
  return YAML.stringify(rules, { lineWidth: 0 });
}
