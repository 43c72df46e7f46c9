/**
 * The segment builder's editable tree. Inputs keep what the merchant typed (numbers as text) and
 * nodes carry stable keys; toDefinition() turns it into API.md's `{match, criteria}` and reports
 * what is still incomplete, under the same paths the API uses (criteria[0].criteria[1].value).
 */
import type { CatalogFilter, Condition, Criterion, FilterName, Group, Match, Operator, SegmentDefinition, ValueType } from '../api/types';

export type DraftValue = string | boolean | string[] | [string, string] | undefined;

export interface DraftCondition {
  key: number;
  kind: 'condition';
  filter: FilterName;
  /** As the catalog lists it (text); the server checks it against the filter. */
  operator: string;
  value: DraftValue;
  withinDays: string;
  event: string;
}

export interface DraftGroup {
  key: number;
  kind: 'group';
  match: Match;
  negate: boolean;
  children: DraftNode[];
}

export type DraftNode = DraftCondition | DraftGroup;

let keys = 0;
export const newKey = () => ++keys;

export function defaultValue(type: ValueType): DraftValue {
  switch (type) {
    case 'none':
      return undefined;
    case 'boolean':
      return true;
    case 'number_range':
      return ['', ''];
    case 'product_ids':
    case 'countries':
    case 'platforms':
      return [];
    default:
      return '';
  }
}

export function operatorType(f: CatalogFilter | undefined, op: string): ValueType {
  return f?.operators.find((o) => o.operator === op)?.valueType ?? f?.valueType ?? 'none';
}

/** A new condition for a filter, with its first operator and an empty value. */
export function newCondition(f: CatalogFilter): DraftCondition {
  const op = f.operators[0]?.operator ?? '';
  return {
    key: newKey(),
    kind: 'condition',
    filter: f.filter,
    operator: op,
    value: defaultValue(operatorType(f, op)),
    withinDays: '',
    event: '',
  };
}

export function newGroup(match: Match = 'any', children: DraftNode[] = []): DraftGroup {
  return { key: newKey(), kind: 'group', match, negate: false, children };
}

function isGroup(c: Criterion): c is Group {
  return Array.isArray((c as Group).criteria);
}

function draftValue(v: Condition['value']): DraftValue {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number') return [String(v[0]), String(v[1])];
  if (Array.isArray(v)) return v.map(String);
  return v as string | boolean;
}

/** A saved definition → the editable tree. */
export function fromDefinition(def: SegmentDefinition): DraftGroup {
  const convert = (c: Criterion): DraftNode =>
    isGroup(c)
      ? { key: newKey(), kind: 'group', match: c.match, negate: !!c.negate, children: c.criteria.map(convert) }
      : {
          key: newKey(),
          kind: 'condition',
          filter: c.filter,
          operator: c.operator,
          value: draftValue(c.value),
          withinDays: c.withinDays === undefined ? '' : String(c.withinDays),
          event: c.event ?? '',
        };
  return { key: newKey(), kind: 'group', match: def.match, negate: false, children: def.criteria.map(convert) };
}

export interface Issue {
  path: string;
  message: string;
}

const num = (s: string): number | null => (s.trim() === '' || !Number.isFinite(Number(s)) ? null : Number(s));

function conditionToApi(c: DraftCondition, f: CatalogFilter | undefined, path: string, issues: Issue[]): Condition {
  const out: Condition = { filter: c.filter, operator: c.operator as Operator };
  const type = operatorType(f, c.operator);
  const v = c.value;
  const need = (message: string) => issues.push({ path: `${path}.value`, message });
  switch (type) {
    case 'none':
      break;
    case 'days':
    case 'number': {
      const n = num(String(v ?? ''));
      if (n === null) need(type === 'days' ? 'Enter a number of days' : 'Enter a number');
      else out.value = n;
      break;
    }
    case 'number_range': {
      const [a, b] = (Array.isArray(v) ? v : ['', '']) as [string, string];
      const lo = num(a);
      const hi = num(b);
      if (lo === null || hi === null) need('Enter both ends of the range');
      else if (lo > hi) need('The minimum must not be above the maximum');
      else out.value = [lo, hi];
      break;
    }
    case 'boolean':
      out.value = v === true;
      break;
    case 'product_ids':
    case 'countries':
    case 'platforms': {
      const list = Array.isArray(v) ? (v as string[]) : [];
      if (list.length === 0)
        need(
          type === 'platforms'
            ? 'Pick at least one platform'
            : type === 'countries'
              ? 'Pick at least one country'
              : 'Add at least one product id',
        );
      else out.value = list;
      break;
    }
    case 'segment':
      if (!v) need('Pick a segment');
      else out.value = String(v);
      break;
    default: {
      const s = String(v ?? '').trim();
      if (!s) need(type === 'date' ? 'Pick a date' : type === 'version' ? 'Enter a version, e.g. 5.2' : 'Enter a value');
      else out.value = s;
    }
  }
  if (f?.withinDays && c.withinDays.trim() !== '') {
    const n = num(c.withinDays);
    if (n === null || n < 1 || !Number.isInteger(n)) issues.push({ path: `${path}.withinDays`, message: 'Whole days, 1 or more' });
    else out.withinDays = n;
  }
  if (f?.requiresEvent) {
    if (!c.event.trim()) issues.push({ path: `${path}.event`, message: 'Enter the event name' });
    else out.event = c.event.trim();
  }
  return out;
}

/** The editable tree → API definition, plus what still needs the merchant's input. */
export function toDefinition(root: DraftGroup, catalog: CatalogFilter[]): { definition: SegmentDefinition; issues: Issue[] } {
  const byName = new Map(catalog.map((f) => [f.filter, f]));
  const issues: Issue[] = [];
  const walk = (nodes: DraftNode[], base: string): Criterion[] =>
    nodes.map((n, i) => {
      const path = `${base}criteria[${i}]`;
      if (n.kind === 'group') {
        if (n.children.length === 0) issues.push({ path, message: 'Add a condition to this group, or remove it' });
        const g: Group = { match: n.match, criteria: walk(n.children, `${path}.`) };
        if (n.negate) g.negate = true;
        return g;
      }
      return conditionToApi(n, byName.get(n.filter), path, issues);
    });
  return { definition: { match: root.match, criteria: walk(root.children, '') }, issues };
}

/** Immutable edit of the node with `key` anywhere in the tree. */
export function updateNode(root: DraftGroup, key: number, fn: (n: DraftNode) => DraftNode | null): DraftGroup {
  const visit = (g: DraftGroup): DraftGroup => ({
    ...g,
    children: g.children.flatMap((c) => {
      if (c.key === key) {
        const r = fn(c);
        return r ? [r] : [];
      }
      return c.kind === 'group' ? [visit(c)] : [c];
    }),
  });
  if (root.key === key) return fn(root) as DraftGroup;
  return visit(root);
}

export function depthOf(root: DraftGroup, key: number): number {
  const find = (g: DraftGroup, d: number): number => {
    if (g.key === key) return d;
    for (const c of g.children)
      if (c.kind === 'group') {
        const r = find(c, d + 1);
        if (r > 0) return r;
      }
    return 0;
  };
  return find(root, 1);
}

export function countConditions(g: DraftGroup): number {
  return g.children.reduce((n, c) => n + (c.kind === 'group' ? countConditions(c) : 1), 0);
}
