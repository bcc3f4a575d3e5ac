// Macro templates: liquid (liquidjs) in strict mode, with no file access and no tags, over a fixed set
// of placeholders. A template is checked when it is saved (unknown placeholders, tags and filters are
// refused) and every placeholder must have a value or a default when it is rendered, so a customer
// never receives "Hi ," or "Hi {{…}}".
import { Liquid, TypeGuards, type Template } from 'liquidjs';
import { invalid } from './errors.js';

/** Every placeholder a macro may use, with what it holds (for help texts and errors). */
export const PLACEHOLDERS: Readonly<Record<string, string>> = {
  'customer.first_name': "the customer's first name",
  'customer.name': "the customer's full name",
  'customer.email': "the customer's email address",
  'customer.company': "the customer's company",
  'customer.last_order.reference': "the reference of the customer's latest order",
  'item.id': "the item's number",
  'item.subject': "the item's subject",
  'agent.name': 'your full name',
  'agent.first_name': 'your first name',
  'agent.handle': 'your handle',
};

/** The values placeholders are filled with; null = the item has no such value. */
export interface TemplateData {
  customer: {
    first_name: string | null;
    name: string | null;
    email: string | null;
    company: string | null;
    last_order: { reference: string | null };
  };
  item: { id: number; subject: string };
  agent: { name: string; first_name: string; handle: string };
}

// No `fs`, no `root`: with an empty in-memory `templates` map, include/render/layout could never
// reach the disk, and tags are refused before rendering anyway.
const engine = new Liquid({
  strictVariables: true,
  strictFilters: true,
  ownPropertyOnly: true,
  templates: {},
  relativeReference: false,
  dynamicPartials: false,
});

const placeholderList = () =>
  Object.keys(PLACEHOLDERS)
    .map((p) => `{{ ${p} }}`)
    .join(', ');

function parse(body: string): Template[] {
  try {
    return engine.parse(body);
  } catch (e) {
    throw invalid(`the macro text is not a valid template: ${(e as Error).message.replace(/, line:\d+, col:\d+$/, '')}`);
  }
}

const pathText = (segments: unknown[]) => segments.map(String).join('.');

/** An output's placeholder path (`customer.first_name`), or null for a literal. */
function outputPath(t: Template): string | null {
  const initial = (t as unknown as { value?: { initial?: { postfix?: unknown[] } } }).value?.initial?.postfix ?? [];
  const token = initial.length === 1 ? initial[0] : undefined;
  if (TypeGuards.isPropertyAccessToken(token)) return token.getText().replace(/\s+/g, '');
  return null;
}

function outputFilters(t: Template): { name: string; args: unknown[] }[] {
  return (t as unknown as { value?: { filters?: { name: string; args: unknown[] }[] } }).value?.filters ?? [];
}

/**
 * Check a template as it is saved: placeholders known, no tags (`{% %}`), filters that exist, and a
 * `default` only with a non-empty quoted text. Throws `invalid` (exit 5) naming what is wrong.
 */
export function checkTemplate(body: string): void {
  const templates = parse(body);
  for (const t of templates) {
    if (TypeGuards.isHTMLToken(t.token)) continue;
    if (!TypeGuards.isOutputToken(t.token)) {
      throw invalid(
        `macros take placeholders like {{ customer.first_name }} only; the tag ${JSON.stringify(t.token.getText().slice(0, 40))} is not allowed`,
      );
    }
    const initial = (t as unknown as { value?: { initial?: { postfix?: unknown[] } } }).value?.initial?.postfix ?? [];
    if (initial.length !== 1 || !(TypeGuards.isPropertyAccessToken(initial[0]) || TypeGuards.isQuotedToken(initial[0]))) {
      throw invalid(
        `${JSON.stringify(t.token.getText())}: a placeholder is one name, like {{ customer.first_name }} (known: ${placeholderList()})`,
      );
    }
    const path = outputPath(t);
    if (path !== null && !(path in PLACEHOLDERS)) throw invalid(`unknown placeholder {{ ${path} }}; known: ${placeholderList()}`);
    for (const f of outputFilters(t)) {
      // Placeholders only at the start of an output, where the empty-value check sees them.
      const values = f.args.map((a) => (Array.isArray(a) ? a[1] : a));
      if (values.some((v) => v !== undefined && !TypeGuards.isQuotedToken(v) && !TypeGuards.isNumberToken(v))) {
        throw invalid(`${JSON.stringify(t.token.getText())}: a filter takes a text in quotes or a number, not a placeholder`);
      }
      if (f.name !== 'default') continue;
      const arg = f.args[0];
      if (!TypeGuards.isQuotedToken(arg) || !arg.getText().slice(1, -1).trim()) {
        throw invalid(
          `${JSON.stringify(t.token.getText())}: a default is a text in quotes, like {{ customer.first_name | default: "there" }}`,
        );
      }
    }
  }
  let used: string[];
  try {
    used = engine.globalVariableSegmentsSync(templates).map(pathText);
  } catch (e) {
    throw invalid(`the macro text is not a valid template: ${(e as Error).message}`);
  }
  for (const p of used) {
    if (!(p in PLACEHOLDERS)) throw invalid(`unknown placeholder {{ ${p} }}; known: ${placeholderList()}`);
  }
}

/** The placeholders a template uses, in order, without repeats. */
export function placeholdersOf(body: string): string[] {
  return [...new Set(engine.globalVariableSegmentsSync(parse(body)).map(pathText))];
}

function valueAt(data: TemplateData, path: string): unknown {
  let v: unknown = data;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

const isEmpty = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && !v.trim());

/**
 * Render a (checked) template. A placeholder without a value and without a default is refused,
 * naming it, before anything is rendered: `what` says whose value it is ("item #42").
 */
export function renderTemplate(body: string, data: TemplateData, what: string): string {
  checkTemplate(body);
  const templates = parse(body);
  const missing: string[] = [];
  for (const t of templates) {
    if (!TypeGuards.isOutputToken(t.token)) continue;
    const path = outputPath(t);
    if (!path || outputFilters(t).some((f) => f.name === 'default')) continue;
    if (isEmpty(valueAt(data, path)) && !missing.includes(path)) missing.push(path);
  }
  if (missing.length) {
    const first = missing[0]!;
    throw invalid(
      `${missing.map((m) => `{{ ${m} }}`).join(' and ')} ${missing.length === 1 ? 'is' : 'are'} empty for ${what}, and the macro gives no default: ` +
        `nothing was written. Fill it in, or give the macro a default: {{ ${first} | default: "…" }}`,
      { missing },
    );
  }
  return String(engine.renderSync(templates, data as unknown as object));
}
